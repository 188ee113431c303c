@module:network @version:2.2.1 @role:NODE
Feature: A node under test passes requests to and from the other nodes of the network as signed messages
  roamcert runs the rest of a roaming network around the node: a registry, its own node R with an eMSP, and a
  CPO connected to the node under test, each listed in the registry with its own key.

  @id:OCPI-2.2.1-TC-NET-01
  Scenario: A request for a party on another node crosses as a message signed by the node's operator
    Given the system under test holds the party role NODE
    And roamcert's network has joined the node under test
    When roamcert's CPO on the node under test pushes a Location to the eMSP on node R
    Then node R takes a message signed by the node's operator, carrying the request, and the eMSP's answer returns

  @id:OCPI-2.2.1-TC-NET-02
  Scenario: A message signed by the sending party's node is delivered and answered
    Given the system under test holds the party role NODE
    And roamcert's network has joined the node under test
    When the eMSP on node R GETs a Location of roamcert's CPO on the node under test
    Then the CPO receives the request and its answer returns to the eMSP

  @id:OCPI-2.2.1-TC-NET-03
  Scenario: A message signed by anyone but the sending party's node is refused
    Given the system under test holds the party role NODE
    And roamcert's network has joined the node under test
    When a message for roamcert's CPO arrives signed by a key that is not node R's operator
    Then the node refuses the message and nothing reaches the CPO
