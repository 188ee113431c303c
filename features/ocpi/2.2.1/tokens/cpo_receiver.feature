@module:tokens @version:2.2.1 @role:CPO @interface:RECEIVER
Feature: Tokens, with a CPO under test as Receiver
  roamcert, as eMSP, pushes its Tokens to the CPO, invalidates one, and reads each back.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements tokens as RECEIVER

  @id:OCPI-2.2.1-TC-TOK-CPO-01
  Scenario: A pushed Token is stored and returned
    When roamcert pushes one of its Tokens
    Then the CPO returns the Token as pushed

  @id:OCPI-2.2.1-TC-TOK-CPO-02
  Scenario: A PATCH invalidates the Token
    Given roamcert has pushed an RFID Token
    When roamcert invalidates the Token by PATCH
    Then the CPO returns the Token invalidated and otherwise unchanged

  @id:OCPI-2.2.1-TC-TOK-CPO-03
  Scenario: The same uid with another type is another Token
    Given roamcert has pushed an RFID Token
    When roamcert pushes an APP_USER Token with the same uid
    Then the CPO returns each Token by its type, and the RFID Token when no type is given

  @id:OCPI-2.2.1-TC-TOK-CPO-04
  Scenario: An invalid Token is refused and not stored
    When roamcert pushes a Token lacking required fields
    Then the CPO refuses the Token with status code 2001 and does not store it
    And a Token pushed to the URL of another uid is refused
