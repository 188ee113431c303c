@module:cdrs @version:2.2.1 @role:CPO @interface:SENDER
Feature: The CDR of a charge, with a CPO under test
  roamcert, as eMSP, pushes a Token it authorizes in real time to the CPO and a driver charges with it at a free
  EVSE of the CPO (trigger hooks of the CPO's charger, or the operator). When the charge ends, roamcert judges the
  CDR the CPO posts to its eMSP against the Session it pushed, the authorization roamcert's eMSP gave and the
  CPO's own Tariffs.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements tokens as RECEIVER
    And the SUT implements locations as SENDER

  @id:OCPI-2.2.1-TC-CDR-CPO-11
  Scenario: A CDR follows a charge authorized in real time
    Given roamcert has pushed a valid Token with whitelist NEVER
    And the driver has charged with the Token for a while at a free EVSE of the CPO
    When the driver ends the charge
    Then the CPO posts a CDR with the Session's energy and authorization
    And the CDR names its Session, with the same Token and Connector
    And the CDR and the Session carry the authorization reference roamcert's eMSP gave
    And the CDR's costs are those the CPO's Tariffs give
