// Real-world tables behind realistic payloads: devices and their OS versions, SDK releases, the enrollment flow, country weights.

/** An OS release: the `osVersion` label as the SDK reports it and the day it shipped (UTC). */
export interface OsRelease {
  family: 'Android' | 'iOS';
  /** Major version, used to match a device's supported range. */
  major: number;
  /** As written into `osVersion`, e.g. `Android 12`, `iOS 17.4`. */
  label: string;
  released: string; // ISO date
}

const android = (version: string, released: string): OsRelease => ({
  family: 'Android',
  major: Number.parseInt(version, 10),
  label: `Android ${version}`,
  released,
});
const ios = (version: string, released: string): OsRelease => ({
  family: 'iOS',
  major: Number.parseInt(version, 10),
  label: `iOS ${version}`,
  released,
});

/** Public release dates of Android and iOS versions (point releases of iOS included: users sit on them for months). */
export const OS_RELEASES: readonly OsRelease[] = [
  android('7.0', '2016-08-22'), android('7.1', '2016-10-04'), android('8.0', '2017-08-21'), android('8.1', '2017-12-05'),
  android('9', '2018-08-06'), android('10', '2019-09-03'), android('11', '2020-09-08'), android('12', '2021-10-04'),
  android('13', '2022-08-15'), android('14', '2023-10-04'), android('15', '2024-10-15'),
  ios('11.0', '2017-09-19'), ios('11.4', '2018-05-29'), ios('12.0', '2018-09-17'), ios('12.4', '2019-07-22'),
  ios('13.0', '2019-09-19'), ios('13.3', '2019-12-10'), ios('13.5', '2020-05-20'), ios('14.0', '2020-09-16'),
  ios('14.4', '2021-01-26'), ios('14.8', '2021-09-13'), ios('15.0', '2021-09-20'), ios('15.4', '2022-03-14'),
  ios('15.7', '2022-09-12'), ios('16.0', '2022-09-12'), ios('16.4', '2023-03-27'), ios('16.7', '2023-09-21'),
  ios('17.0', '2023-09-18'), ios('17.4', '2024-03-05'), ios('17.6', '2024-07-29'), ios('18.0', '2024-09-16'),
  ios('18.2', '2024-12-11'),
];

/** A phone model that exists, with the OS majors it shipped with and was updated to. */
export interface Device {
  /** As written into `deviceMake`, e.g. `Samsung Galaxy S10`. */
  make: string;
  family: 'Android' | 'iOS';
  /** OS major it launched with. */
  minMajor: number;
  /** Last OS major it received. */
  maxMajor: number;
  released: string; // ISO date
  /** Relative popularity among devices available at a given time. */
  weight: number;
}

const device = (make: string, family: Device['family'], minMajor: number, maxMajor: number, released: string, weight: number): Device => ({
  make, family, minMajor, maxMajor, released, weight,
});

export const DEVICES: readonly Device[] = [
  device('Samsung Galaxy S8', 'Android', 7, 9, '2017-04-21', 3),
  device('Samsung Galaxy S9', 'Android', 8, 10, '2018-03-16', 4),
  device('Samsung Galaxy S10', 'Android', 9, 12, '2019-03-08', 5),
  device('Samsung Galaxy Note 10', 'Android', 9, 12, '2019-08-23', 2),
  device('Samsung Galaxy S20', 'Android', 10, 13, '2020-03-06', 4),
  device('Samsung Galaxy A12', 'Android', 10, 12, '2020-11-24', 5),
  device('Samsung Galaxy S21', 'Android', 11, 15, '2021-01-29', 4),
  device('Samsung Galaxy A52', 'Android', 11, 14, '2021-03-26', 4),
  device('Samsung Galaxy S22', 'Android', 12, 15, '2022-02-25', 4),
  device('Samsung Galaxy S23', 'Android', 13, 15, '2023-02-17', 4),
  device('Google Pixel 3', 'Android', 9, 12, '2018-10-18', 1),
  device('Google Pixel 4', 'Android', 10, 13, '2019-10-24', 1),
  device('Google Pixel 5', 'Android', 11, 14, '2020-10-29', 1),
  device('Google Pixel 6', 'Android', 12, 15, '2021-10-28', 2),
  device('Google Pixel 7', 'Android', 13, 15, '2022-10-13', 2),
  device('Google Pixel 8', 'Android', 14, 15, '2023-10-12', 2),
  device('OnePlus 8', 'Android', 10, 13, '2020-04-21', 1),
  device('OnePlus 9', 'Android', 11, 14, '2021-03-30', 1),
  device('Xiaomi Redmi Note 8', 'Android', 9, 11, '2019-08-29', 4),
  device('Xiaomi Redmi Note 10', 'Android', 11, 13, '2021-03-16', 4),
  device('Motorola Moto G8', 'Android', 10, 11, '2020-03-01', 2),
  device('Huawei P30', 'Android', 9, 10, '2019-03-26', 2),
  device('Nokia 7.2', 'Android', 9, 11, '2019-09-05', 1),
  device('iPhone 8', 'iOS', 11, 16, '2017-09-22', 4),
  device('iPhone X', 'iOS', 11, 16, '2017-11-03', 3),
  device('iPhone XR', 'iOS', 12, 17, '2018-10-26', 5),
  device('iPhone 11', 'iOS', 13, 18, '2019-09-20', 6),
  device('iPhone SE (2nd generation)', 'iOS', 13, 18, '2020-04-24', 3),
  device('iPhone 12', 'iOS', 14, 18, '2020-10-23', 6),
  device('iPhone 13', 'iOS', 15, 18, '2021-09-24', 6),
  device('iPhone 14', 'iOS', 16, 18, '2022-09-16', 5),
  device('iPhone 15', 'iOS', 17, 18, '2023-09-22', 5),
];

/** One step of the SDK's enrollment flow; the last step is the spec's own event (`ID Enrollment`). */
export interface FlowStep {
  logEvent: string;
  logEventType: string;
  type: string;
  /** A capture step can fail and be retried (a FAILURE event followed by another attempt). */
  retryable: boolean;
  /** Gap before this step's event, after the previous one. */
  gapMs: readonly [min: number, max: number]; // ms
  /** `responseDetails.value` of a successful step. */
  status: number;
  endpoint: string;
}

export const ENROLLMENT_FLOW: readonly FlowStep[] = [
  { logEvent: 'Privacy Policy Acceptance', logEventType: 'User Consent', type: 'consent', retryable: false, gapMs: [2_000, 20_000], status: 200, endpoint: '/v1/consents' },
  { logEvent: 'Biometric Consent', logEventType: 'User Consent', type: 'consent', retryable: false, gapMs: [1_500, 15_000], status: 200, endpoint: '/v1/consents' },
  { logEvent: 'Document Capture', logEventType: 'ID Verification', type: 'audit', retryable: true, gapMs: [5_000, 60_000], status: 200, endpoint: '/v1/documents' },
  { logEvent: 'Face Capture', logEventType: 'Liveness Check', type: 'audit', retryable: true, gapMs: [4_000, 40_000], status: 200, endpoint: '/v1/liveness' },
  { logEvent: 'ID Enrollment', logEventType: 'User Profile Creation', type: 'audit', retryable: false, gapMs: [300, 5_000], status: 201, endpoint: '/v1/user-profiles' },
];

/** How failed capture attempts are reported (`responseDetails.value`). */
export const CAPTURE_FAILURES: readonly { status: number; error: string }[] = [
  { status: 422, error: 'FACE_NOT_DETECTED' },
  { status: 422, error: 'LIVENESS_CHECK_FAILED' },
  { status: 422, error: 'DOCUMENT_GLARE' },
  { status: 422, error: 'DOCUMENT_BLURRED' },
  { status: 408, error: 'CAPTURE_TIMEOUT' },
];

/** `logRequestFlow` values: the spec's third-party flow and its first-party and web siblings, one per session. */
export const REQUEST_FLOWS: readonly { value: string; weight: number }[] = [
  { value: 'CoreSDK-TP', weight: 7 },
  { value: 'CoreSDK', weight: 2 },
  { value: 'WebSDK-TP', weight: 1 },
];

/** Privacy-policy versions and when each took effect: a session accepts the one in force. */
export const PRIVACY_POLICY_VERSIONS: readonly { version: string; effective: string }[] = [
  { version: '1.4', effective: '2010-01-01' },
  { version: '2.0', effective: '2020-07-01' },
  { version: '2.1', effective: '2021-11-15' },
  { version: '3.0', effective: '2023-05-01' },
];

/** First SDK release date; `sdkVersion` 2.<minor>.<patch> gets a new minor every quarter after it. */
export const SDK_EPOCH = '2019-01-01'; // ISO date
/** First app release date; `softwareVersion` 1.<minor>.<patch> gets a new minor every other month after it. */
export const APP_EPOCH = '2019-06-01'; // ISO date

/**
 * Approximate population in millions (UN estimates for 2023, rounded), the "weighted" country distribution:
 * registrations come from where people live. Countries not listed weigh DEFAULT_COUNTRY_WEIGHT; uninhabited
 * territories almost nothing.
 */
export const COUNTRY_POPULATION: Readonly<Record<string, number>> = {
  IN: 1428, CN: 1425, US: 340, ID: 278, PK: 240, NG: 224, BR: 216, BD: 173, RU: 144, MX: 128, ET: 127, JP: 123,
  PH: 117, EG: 113, CD: 102, VN: 99, IR: 89, TR: 85, DE: 84, TH: 72, GB: 68, TZ: 67, FR: 65, ZA: 60, IT: 59,
  KE: 55, MM: 54, CO: 52, KR: 52, UG: 49, SD: 48, ES: 48, DZ: 46, AR: 46, IQ: 46, AF: 42, PL: 41, CA: 39, MA: 38,
  SA: 37, UA: 37, AO: 37, UZ: 36, YE: 34, PE: 34, MY: 34, GH: 34, MZ: 34, NP: 31, MG: 30, VE: 29, CM: 29, CI: 29,
  AU: 27, KP: 26, NE: 27, TW: 24, SY: 23, BF: 23, ML: 23, LK: 22, MW: 21, CL: 20, KZ: 20, ZM: 20, RO: 19, GT: 18,
  EC: 18, NL: 18, SN: 18, TD: 18, SO: 18, KH: 17, ZW: 16, GN: 14, RW: 14, BJ: 13, BI: 13, TN: 12, BO: 12, BE: 12,
  HT: 12, CU: 11, SS: 11, DO: 11, CZ: 11, JO: 11, GR: 10, PT: 10, AZ: 10, SE: 10, HN: 10, AE: 10, HU: 10, TJ: 10,
  PG: 10, IL: 10, BY: 9, AT: 9, CH: 9, TG: 9, SL: 9, LA: 8, HK: 7, RS: 7, PY: 7, LY: 7, NI: 7, KG: 7, BG: 6, SV: 6,
  TM: 6, SG: 6, DK: 6, FI: 6, CG: 6, CF: 6, NO: 5.5, SK: 5.4, OM: 5, PS: 5, CR: 5, LR: 5, IE: 5, NZ: 5, MR: 5,
  PA: 4.5, KW: 4.3, HR: 3.9, GE: 3.7, ER: 3.7, UY: 3.4, MN: 3.4, BA: 3.2, PR: 3.2, AM: 2.8, JM: 2.8, AL: 2.8,
  LT: 2.8, QA: 2.7, GM: 2.7, BW: 2.7, NA: 2.6, MD: 2.5, GA: 2.4, LS: 2.3, GW: 2.2, SI: 2.1, MK: 1.8, LV: 1.8,
  GQ: 1.7, BH: 1.5, TT: 1.5, TL: 1.4, EE: 1.3, MU: 1.3, CY: 1.3, SZ: 1.2, DJ: 1.1, FJ: 0.9,
  AQ: 0.001, BV: 0.0001, HM: 0.0001, GS: 0.0001, TF: 0.0003, UM: 0.0003, IO: 0.003, PN: 0.0001,
};

/** Weight of a country absent from COUNTRY_POPULATION (the small states and territories). */
export const DEFAULT_COUNTRY_WEIGHT = 0.3;
