@module:sessions @version:2.2.1 @role:CPO @interface:SENDER
Feature: A charge pushed as it runs, with a CPO under test
  roamcert, as eMSP, pushes a whitelisted Token to the CPO and a driver charges with it at a free EVSE of the
  CPO (trigger hooks of the CPO's charger: the Token presented, time passing, the charge ended, or the operator).
  roamcert judges what the CPO pushes to its eMSP as the charge runs: the Session and the EVSE's status.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements tokens as RECEIVER
    And the SUT implements locations as SENDER

  @id:OCPI-2.2.1-TC-SES-CPO-11
  Scenario: The Session of a charge is pushed when it starts, as it runs and when it ends
    Given roamcert has pushed a valid Token with whitelist ALWAYS
    When the driver starts charging with the Token at a free EVSE of the CPO
    Then the CPO pushes the new Session to roamcert by PUT, for that Token at that EVSE
    When time passes at the charger
    And the driver ends the charge
    Then the CPO updates the Session as it runs and PATCHes it COMPLETED when it ends
    And the Session's start_date_time is the moment it went ACTIVE
    And its PATCHes only add charging periods after those pushed before
    And the CPO pushes the EVSE's status as the charge starts and as it ends
