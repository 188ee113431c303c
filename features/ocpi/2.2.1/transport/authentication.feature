@module:transport @version:2.2.1
Feature: Credentials tokens on every endpoint
  Every request must carry a token the server issued, Base64-encoded; a request without one, or with a token the
  server does not know, is refused with HTTP 401, and token A opens only versions and credentials. Each endpoint
  is called exactly as published, and first with token C, so that a URL that is not served there is reported as
  such and not as a failure of authentication.

  @id:OCPI-2.2.1-TC-TF-01
  Scenario Outline: Module endpoints enforce credentials tokens
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    And the SUT publishes functional module endpoints roamcert can call
    When roamcert calls each of them with token C, without a token, with an unknown token, with token C unencoded and with token A
    Then every URL answers as the endpoint published there
    And each of these requests is refused with HTTP 401

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |

  @id:OCPI-2.2.1-TC-TF-11
  Scenario Outline: Versions and version details enforce credentials tokens
    Given the system under test holds the party role <role>
    And roamcert is registered with the SUT
    When roamcert calls the versions and version details endpoints with token C, without a token, with an unknown token and with token C unencoded
    Then every URL answers as the endpoint published there
    And each of these requests is refused with HTTP 401

    Examples:
      | role |
      | CPO  |
      | EMSP |
      | SCSP |
      | NSP  |
