@module:tokens @version:2.2.1 @role:EMSP @interface:SENDER
Feature: Real-time authorization, whatever the state of the Location
  An eMSP answers for the Token and the place, not for opening hours or EVSE statuses it may know only from
  stale pushes.

  @id:OCPI-2.2.1-TC-TOK-EMSP-08
  Scenario: A closed Location with EVSEs out of order does not change the answer
    Given the system under test holds the party role EMSP
    And roamcert is registered with the SUT
    And the SUT implements tokens as SENDER
    And the SUT implements locations as RECEIVER
    And roamcert knows the eMSP's Tokens
    When roamcert asks the eMSP to authorize a valid Token at a Location it pushed open, then pushed closed
    Then the eMSP answers the same for the closed Location as for the open one
