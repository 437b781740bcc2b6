// The built-in bodies used without CORPUS: a few realistic registrations shaped like the contract's example.
//
// Each profile is one SDK enrollment session: time-ordered events in the country's offset, a device and OS that
// existed then, shared session / transaction-group IDs. The IDs here are placeholders: every request gets fresh ones.

interface Session {
  country: string;
  offset: string; // ±hh:mm
  start: string; // local date-time without offset, ms precision
  device: string;
  os: string;
  software: string;
  sdk: string;
  steps: number;
}

const SESSIONS: Session[] = [
  { country: 'US', offset: '-05:00', start: '2020-01-28T13:15:40.102', device: 'Samsung S10', os: 'Android 10', software: '1.0.0', sdk: '2.3.0', steps: 2 },
  { country: 'DE', offset: '+02:00', start: '2023-06-14T09:02:11.530', device: 'iPhone 14', os: 'iOS 16.5', software: '3.2.1', sdk: '4.1.0', steps: 3 },
  { country: 'IN', offset: '+05:30', start: '2022-11-03T18:47:05.004', device: 'Xiaomi Redmi Note 11', os: 'Android 12', software: '2.8.4', sdk: '3.6.2', steps: 1 },
  { country: 'BR', offset: '-03:00', start: '2024-02-20T07:31:59.871', device: 'Motorola Moto G54', os: 'Android 13', software: '3.9.0', sdk: '4.4.1', steps: 5 },
];

const FLOW: Array<[logEvent: string, logEventType: string]> = [
  ['Privacy Policy Acceptance', 'Consent'],
  ['Biometric Consent', 'Consent'],
  ['Document Capture', 'Capture'],
  ['Face Capture', 'Capture'],
  ['ID Enrollment', 'User Profile Creation'],
];

const PROFILE_ID = '00000000-0000-4000-8000-000000000001';
const SESSION_ID = '00000000-0000-4000-8000-000000000002';
const GROUP_ID = '00000000-0000-4000-8000-000000000003';
const ARID = '00000000-0000-1000-8000-000000000004';

/** `start` plus `seconds`, keeping the local wall-clock form (no day rollover needed: sessions last seconds). */
function at(session: Session, seconds: number): string {
  const [date, time] = session.start.split('T') as [string, string];
  const [h, m, s] = time.split(':').map(Number) as [number, number, number];
  const total = Math.round((h * 3600 + m * 60 + s + seconds) * 1000); // ms
  const pad = (n: number, width = 2) => String(Math.floor(n)).padStart(width, '0');
  return `${date}T${pad(total / 3600000)}:${pad((total % 3600000) / 60000)}:${pad((total % 60000) / 1000)}.${pad(total % 1000, 3)}${session.offset}`;
}

function event(session: Session, step: number, seconds: number): Record<string, unknown> {
  const [logEvent, logEventType] = FLOW[step]!;
  const dateTime = at(session, seconds);
  return {
    dateTime,
    softwareVersion: session.software,
    userProfileId: PROFILE_ID,
    sessionId: SESSION_ID,
    transactionGroupId: GROUP_ID,
    logRequestFlow: 'CoreSDK-TP',
    logEvent,
    logEventType,
    osVersion: session.os,
    deviceMake: session.device,
    type: 'audit',
    audit: {
      privacyPolicy: { value: { accepted: true, version: '2.1', acceptedAt: at(session, 0) } },
      userBiometricConsent: { value: { granted: true, grantedAt: at(session, 0) } },
      event: { value: logEvent },
      eventType: { value: logEventType },
      result: { value: 'SUCCESS' },
      eventGeneratedSource: { value: 'SDK' },
      owner: { value: 'CoreSDK' },
      requestDetails: { value: { endpoint: '/user-profiles', method: 'POST' } },
      responseDetails: { value: { status: 201 } },
    },
  };
}

/** The built-in bodies, serialised (one line each, like a corpus). */
export function builtinBodies(): string[] {
  return SESSIONS.map((session) => {
    const events: Array<Record<string, unknown>> = [];
    // The last `steps` steps of the flow, 7.3 s apart.
    for (let i = 0; i < session.steps; i++) events.push(event(session, FLOW.length - session.steps + i, (i + 1) * 7.3));
    return JSON.stringify({
      countryCode: session.country,
      userProfileId: PROFILE_ID,
      sdkAuditEvents: events,
      tpAuditMetadata: { sessionId: SESSION_ID, transactionGroupId: GROUP_ID },
      arid: ARID,
      sdkVersion: session.sdk,
    });
  });
}
