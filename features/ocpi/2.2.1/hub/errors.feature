@module:hub @version:2.2.1 @role:HUB
Feature: A Hub under test answers what it cannot route with its own error codes, and keeps parties apart
  roamcert's platforms send requests the Hub cannot or must not deliver.

  @id:OCPI-2.2.1-TC-HUB-12
  Scenario: A request to an unknown party is answered 4001
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 pushes a Token to a party no one registered
    Then the Hub answers 4001 and forwards nothing

  @id:OCPI-2.2.1-TC-HUB-13
  Scenario: A request to a party that is not connected is answered 4003
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When the NSP stops answering and CPO-1 pushes a Location to it twice
    Then the Hub answers the second push 4003 and forwards nothing

  @id:OCPI-2.2.1-TC-HUB-14
  Scenario: A request the addressed platform cannot take is answered with a Hub error
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 pushes a Token to the NSP, whose platform has no Tokens Receiver
    Then the Hub answers with a Hub error code and forwards nothing

  @id:OCPI-2.2.1-TC-HUB-15
  Scenario: One party's token never speaks for a party of another platform
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 calls the Hub with its own token but names EMSP-2 in its OCPI-from headers
    Then the Hub refuses the request and forwards nothing
