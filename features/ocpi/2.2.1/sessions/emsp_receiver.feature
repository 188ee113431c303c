@module:sessions @version:2.2.1 @role:EMSP @interface:RECEIVER
Feature: Sessions, with an eMSP under test as Receiver
  roamcert, as CPO, pushes a charging session to the eMSP as it runs: PUT when it starts, a PATCH for each
  new charging period, a PATCH when it completes. After every push it reads the Session back.

  Background:
    Given the system under test holds the party role EMSP
    And roamcert is registered with the SUT
    And the SUT implements sessions as RECEIVER

  @id:OCPI-2.2.1-TC-SES-EMSP-01
  Scenario: A pushed Session is stored and returned
    When roamcert pushes a Session that has just started
    Then the eMSP returns the Session as pushed

  @id:OCPI-2.2.1-TC-SES-EMSP-02
  Scenario: PATCHes add charging periods and complete the Session
    Given roamcert has pushed a Session that has just started
    When roamcert patches in the Session's next charging period, then completes it
    Then the eMSP returns the Session with each PATCH applied and its charging periods added

  @id:OCPI-2.2.1-TC-SES-EMSP-03
  Scenario: A second PUT replaces the whole Session
    Given roamcert has pushed a Session that has just started
    When roamcert pushes the completed Session again, without charging periods or meter_id
    Then the eMSP returns the second Session as pushed, with nothing left of the first

  @id:OCPI-2.2.1-TC-SES-EMSP-04
  Scenario: An invalid Session is refused and not stored
    When roamcert pushes a Session lacking required fields
    Then the eMSP refuses the Session with status code 2001 and does not store it
    And a Session pushed to the URL of another id is refused

  @id:OCPI-2.2.1-TC-SES-EMSP-05
  Scenario: GET of a Session never pushed
    When roamcert gets a Session it never pushed
    Then the eMSP reports it as unknown
