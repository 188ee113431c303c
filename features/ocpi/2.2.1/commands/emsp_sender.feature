@module:commands @version:2.2.1 @role:EMSP @interface:SENDER
Feature: Commands, with an eMSP under test as Sender
  roamcert makes the eMSP send commands to roamcert's CPO (the send_command action), which answers ACCEPTED,
  judges each command, and POSTs CommandResults of its choosing to the command's response_url.

  Background:
    Given the system under test holds the party role EMSP
    And roamcert is registered with the SUT
    And the SUT implements commands as SENDER

  @id:OCPI-2.2.1-TC-CMD-EMSP-01
  Scenario: START_SESSION, and its ACCEPTED result
    When the eMSP sends START_SESSION and roamcert's CPO answers with the CommandResult ACCEPTED
    Then each command reaches roamcert's CPO as its command's object with an absolute response_url
    And the command's Token is one of the eMSP's own
    And the eMSP acknowledges each CommandResult with status code 1000

  @id:OCPI-2.2.1-TC-CMD-EMSP-02
  Scenario: STOP_SESSION of the Session its START_SESSION started, and a TIMEOUT result
    When the eMSP sends START_SESSION, and roamcert's CPO answers ACCEPTED and sends the eMSP the Session it started
    And the eMSP sends STOP_SESSION for that Session and roamcert's CPO answers with the CommandResult TIMEOUT
    Then each command reaches roamcert's CPO as its command's object with an absolute response_url
    And the STOP_SESSION names the Session roamcert's CPO started
    And the eMSP acknowledges each CommandResult with status code 1000

  @id:OCPI-2.2.1-TC-CMD-EMSP-03
  Scenario: RESERVE_NOW, canceled later by the CPO, then CANCEL_RESERVATION
    When the eMSP sends RESERVE_NOW, roamcert's CPO answers ACCEPTED and later CANCELED_RESERVATION, and the eMSP sends CANCEL_RESERVATION
    Then each command reaches roamcert's CPO as its command's object with an absolute response_url
    And the command's Token is one of the eMSP's own
    And the eMSP acknowledges each CommandResult with status code 1000
    And the eMSP acknowledges the CANCELED_RESERVATION on the reservation's response_url

  @id:OCPI-2.2.1-TC-CMD-EMSP-04
  Scenario: UNLOCK_CONNECTOR twice, with FAILED and REJECTED results
    When the eMSP sends UNLOCK_CONNECTOR twice and roamcert's CPO answers FAILED, then REJECTED
    Then each command reaches roamcert's CPO as its command's object with an absolute response_url
    And the eMSP acknowledges each CommandResult with status code 1000
    And each command has a response_url of its own
