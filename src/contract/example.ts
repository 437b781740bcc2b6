// The spec's example request body as valid JSON (the export's nesting placeholders replaced by plausible values).

import type { UserProfile } from './user-profile-schema.ts';

const auditOf = () => ({
  privacyPolicy: { value: { accepted: true, version: '2.1', acceptedAt: '2020-01-28T13:15:40.102-05:00' } },
  userBiometricConsent: { value: { granted: true, grantedAt: '2020-01-28T13:15:52.330-05:00' } },
  event: { value: 'ID Enrollment' },
  eventType: { value: 'User Profile Creation' },
  result: { value: 'SUCCESS' },
  eventGeneratedSource: { value: 'SDK' },
  owner: { value: 'CoreSDK' },
  requestDetails: { value: { endpoint: '/user-profiles', method: 'POST' } },
  responseDetails: { value: { status: 201 } },
});

const event = () => ({
  dateTime: '2020-01-28T13:16:01.714-05:00',
  softwareVersion: '1.0.0',
  userProfileId: 'df52649e-4096-456a-bca0-751ee470009f',
  sessionId: '123ae1aa-6744-433e-879d-7da48d631234',
  transactionGroupId: '28eae1aa-6744-433e-879d-7da48d63e89a',
  logRequestFlow: 'CoreSDK-TP',
  logEvent: 'ID Enrollment',
  logEventType: 'User Profile Creation',
  osVersion: 'Android 5.0',
  deviceMake: 'Samsung S10',
  type: 'audit',
  audit: auditOf(),
});

/** A fresh copy of the spec's example body, optionally under another profile ID. */
export function specExample(userProfileId: string = 'c908bc7c-9917-48fd-b862-d901a0880fef'): UserProfile {
  return {
    countryCode: 'US',
    userProfileId,
    sdkAuditEvents: [event(), event()],
    tpAuditMetadata: {
      sessionId: 'be3ad617-04ad-43e1-a438-79425b6511b6',
      transactionGroupId: 'be3ad617-04ad-43e1-a438-79425b6511b6',
    },
    arid: 'a15fa6de-b199-11eb-8529-0242ac130003',
    sdkVersion: '2.3.0',
  };
}
