@module:tokens @version:2.2.1 @role:CPO @interface:RECEIVER
Feature: Tokens at the charger, with a CPO under test
  roamcert, as eMSP, pushes a Token of its own to the CPO, then a driver presents it at a free EVSE of the CPO
  (a trigger hook of the CPO's charger, or the operator). Whether the CPO asks roamcert's eMSP in real time, and
  whether a charge starts, follow from the Token's whitelist, its validity and the eMSP's answer, or its silence
  (HTTP 503 without an OCPI body). roamcert judges what reaches its eMSP; a charge that starts is ended again.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements tokens as RECEIVER
    And the SUT implements locations as SENDER

  @id:OCPI-2.2.1-TC-TOK-CPO-11
  Scenario: A valid Token whitelisted ALWAYS charges without a real-time request
    Given roamcert has pushed a valid Token with whitelist ALWAYS
    When the driver presents the Token at a free EVSE of the CPO
    Then the charge starts on the whitelist, without a real-time authorization request
    When the driver ends the charge

  @id:OCPI-2.2.1-TC-TOK-CPO-12
  Scenario: A Token whitelisted NEVER is authorized in real time before it charges
    Given roamcert has pushed a valid Token with whitelist NEVER
    When the driver presents the Token at a free EVSE of the CPO
    Then the CPO asks roamcert's eMSP in real time about the Token before the charge starts
    And the request names the Location and the EVSE where the Token is presented
    And the Session carries auth_method AUTH_REQUEST and the authorization reference roamcert's eMSP gave
    When the driver ends the charge

  @id:OCPI-2.2.1-TC-TOK-CPO-13
  Scenario: A Token that is not valid does not charge
    Given roamcert has pushed a Token that is not valid, with whitelist ALLOWED
    When the driver presents the Token at a free EVSE of the CPO
    Then no charging session starts for the Token

  @id:OCPI-2.2.1-TC-TOK-CPO-14
  Scenario: A Token the eMSP blocks in real time does not charge
    Given roamcert has pushed a valid Token with whitelist NEVER, which roamcert's eMSP has since blocked
    When the driver presents the Token at a free EVSE of the CPO
    Then the CPO asks roamcert's eMSP in real time and, answered BLOCKED, starts no charging session

  @id:OCPI-2.2.1-TC-TOK-CPO-15
  Scenario: A Token pushed as not valid is still authorized in real time when its whitelist is NEVER
    Given roamcert has pushed a Token that is not valid, with whitelist NEVER, which roamcert's eMSP has since allowed again
    When the driver presents the Token at a free EVSE of the CPO
    Then the CPO still asks roamcert's eMSP in real time about the Token and, answered ALLOWED, lets it charge
    When the driver ends the charge

  @id:OCPI-2.2.1-TC-TOK-CPO-16
  Scenario: A Token whitelisted ALLOWED_OFFLINE is authorized in real time while the eMSP answers
    Given roamcert has pushed a valid Token with whitelist ALLOWED_OFFLINE
    When the driver presents the Token at a free EVSE of the CPO
    Then the CPO asks roamcert's eMSP in real time about the Token before the charge starts, as roamcert's eMSP answers
    And the Session carries auth_method AUTH_REQUEST and the authorization reference roamcert's eMSP gave
    When the driver ends the charge

  @id:OCPI-2.2.1-TC-TOK-CPO-17
  Scenario: A Token whitelisted ALLOWED_OFFLINE charges when the eMSP gives no response
    Given roamcert has pushed a valid Token with whitelist ALLOWED_OFFLINE
    And roamcert's eMSP gives no response to real-time authorization requests while the driver presents it
    When the driver presents the Token at a free EVSE of the CPO
    Then the charge starts on the whitelist, its Session with auth_method WHITELIST, though roamcert's eMSP gave no response
    When the driver ends the charge
