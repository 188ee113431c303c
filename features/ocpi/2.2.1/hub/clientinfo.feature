@module:hub @version:2.2.1 @role:HUB
Feature: A Hub under test keeps roamcert's parties informed of each other (Hub Client Info)
  roamcert's platforms read the Hub's ClientInfo list, and one of them goes offline for a while.

  @id:OCPI-2.2.1-TC-HUB-16
  Scenario: The Hub's ClientInfo list shows every connected party
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 GETs the Hub's ClientInfo list
    Then every party of roamcert's other platforms is listed CONNECTED

  @id:OCPI-2.2.1-TC-HUB-17
  Scenario: A party that goes offline, and comes back, is announced to the others
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When the NSP stops answering, is pushed a Location, and later calls the Hub again
    Then the Hub pushes the NSP's ClientInfo to roamcert's other platforms: OFFLINE, then CONNECTED
