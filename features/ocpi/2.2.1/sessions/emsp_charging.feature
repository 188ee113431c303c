@module:sessions @version:2.2.1 @role:EMSP @interface:RECEIVER
Feature: A charge authorized in real time, with an eMSP under test
  roamcert, as CPO, lets a driver charge with one of the eMSP's own valid Tokens at one of roamcert's EVSEs: it
  asks the eMSP in real time, pushes the Location, the EVSE's status and the Session as the charge runs, and the
  CDR when it ends, as a real CPO would. Then it reads the Session and the CDR back from the eMSP.

  Background:
    Given the system under test holds the party role EMSP
    And roamcert is registered with the SUT
    And the SUT implements tokens as SENDER
    And the SUT implements sessions as RECEIVER
    And the SUT implements cdrs as RECEIVER

  @id:OCPI-2.2.1-TC-SES-EMSP-11
  Scenario: A charge authorized in real time, from the Session to the CDR
    Given roamcert knows the eMSP's Tokens
    When a driver charges at roamcert's charger with one of the eMSP's valid Tokens, authorized in real time
    Then the eMSP acknowledged every push of the charge with status code 1000
    And the eMSP returns the Session and the CDR as roamcert's CPO last pushed them
    And both carry the authorization reference the eMSP gave
