@module:hub @version:2.2.1 @role:HUB
Feature: A Hub under test routes requests between parties by their routing headers
  roamcert registers four platforms of its own with the Hub (CPO-1, EMSP-1, an NSP, and one platform holding
  CPO-2 and EMSP-2) and sends requests through it; each platform records what reaches it.

  @id:OCPI-2.2.1-TC-HUB-01 @phase:registration
  Scenario: roamcert's platforms register with the Hub, which reports itself as role HUB only
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When each of roamcert's platforms reads the Hub's credentials
    Then the Hub reports itself as role HUB only

  @id:OCPI-2.2.1-TC-HUB-02
  Scenario: A push from an eMSP reaches the CPO it is addressed to
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 pushes a Token to CPO-1 through the Hub
    Then only the addressed party receives the request, unchanged, with its routing headers and ids
    And the sender gets the receiver's answer as it was given

  @id:OCPI-2.2.1-TC-HUB-03
  Scenario: A push reaches the addressed CPO on a platform holding two parties, not its other party
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 pushes a Token to CPO-2 on the platform holding two parties
    Then only the addressed party receives the request, unchanged, with its routing headers and ids
    And the sender gets the receiver's answer as it was given

  @id:OCPI-2.2.1-TC-HUB-04
  Scenario: A push from a CPO reaches the eMSP it is addressed to on a platform holding two parties
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When CPO-1 pushes a Location to EMSP-2 on the platform holding two parties
    Then only the addressed party receives the request, unchanged, with its routing headers and ids
    And the sender gets the receiver's answer as it was given

  @id:OCPI-2.2.1-TC-HUB-05
  Scenario: A push from a party of a platform holding two parties is routed by its OCPI-from headers
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When CPO-2 pushes a Location to EMSP-1 through the Hub
    Then only the addressed party receives the request, unchanged, with its routing headers and ids
    And the sender gets the receiver's answer as it was given

  @id:OCPI-2.2.1-TC-HUB-06
  Scenario: A GET of one object comes back from its owner as it was given
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 GETs one Location of CPO-2 through the Hub
    Then only the addressed party receives the request, unchanged, with its routing headers and ids
    And the sender gets the receiver's answer as it was given

  @id:OCPI-2.2.1-TC-HUB-07
  Scenario: A Broadcast Push of a CPO reaches every eMSP and NSP, and no CPO
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When CPO-1 pushes a Location with the Hub in the OCPI-to headers
    Then every party of the opposite roles receives it from the Hub, and nobody else

  @id:OCPI-2.2.1-TC-HUB-08
  Scenario: A Broadcast Push of an eMSP reaches every CPO, and no eMSP or NSP
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 pushes a Token with the Hub in the OCPI-to headers
    Then every party of the opposite roles receives it from the Hub, and nobody else

  @id:OCPI-2.2.1-TC-HUB-09
  Scenario: An Open Routing Request reaches the party its content names
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When CPO-1 posts a CDR for EMSP-2 without OCPI-to headers
    Then only the party the CDR's token names receives it

  @id:OCPI-2.2.1-TC-HUB-10
  Scenario: GET All via the Hub combines the lists of every connected Sender
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 GETs all Locations with the Hub in the OCPI-to headers, following the Hub's Links
    Then the Hub returns every Location of both CPOs once, paginated at the Hub

  @id:OCPI-2.2.1-TC-HUB-11
  Scenario: A list relayed from one party is paginated through the Hub
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 GETs CPO-1's Locations list through the Hub, following the Hub's Links
    Then each next-page Link points at the Hub

  @id:OCPI-2.2.1-TC-HUB-18
  Scenario: A receiver's error reaches the requesting party as it was given
    Given the system under test holds the party role HUB
    And roamcert's platforms are registered with the Hub
    When EMSP-1 GETs a Location CPO-1 does not have through the Hub
    Then the sender gets the receiver's error as it was given
