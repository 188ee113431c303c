@module:network @version:2.2.1 @role:NODE
Feature: A node under test answers a request the registry cannot place with the hub's own error code
  roamcert's CPO, connected to the node under test, addresses a party that no node of the network lists.

  @id:OCPI-2.2.1-TC-NET-10
  Scenario: A request for a party no node lists is answered 4001
    Given the system under test holds the party role NODE
    And roamcert's network has joined the node under test
    When roamcert's CPO on the node under test pushes a Location to a party no node lists
    Then the node answers 4001 and passes the request to no node and no party
