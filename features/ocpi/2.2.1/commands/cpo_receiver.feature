@module:commands @version:2.2.1 @role:CPO @interface:RECEIVER
Feature: Commands, with a CPO under test as Receiver
  roamcert, as eMSP, sends commands to the CPO, each with a response_url of its own on roamcert's platform; it
  judges the CommandResponse, waits there for the CommandResult, and looks for what the command did.

  Background:
    Given the system under test holds the party role CPO
    And roamcert is registered with the SUT
    And the SUT implements commands as RECEIVER

  @id:OCPI-2.2.1-TC-CMD-CPO-01
  Scenario: START_SESSION with an RFID Token the CPO never received, then STOP_SESSION
    When roamcert starts a session remotely with an RFID Token it never pushed
    Then each command is answered with a CommandResponse and its CommandResult reaches roamcert in time
    And a Session for that Token starts at the EVSE asked for, carrying the Token
    And the CPO neither refuses the Token nor asks roamcert about it in real time
    When roamcert stops that session remotely
    Then the Session is completed, and its CDR, once sent, carries the Token

  @id:OCPI-2.2.1-TC-CMD-CPO-02
  Scenario: START_SESSION with an APP_USER Token the CPO never received, then STOP_SESSION
    When roamcert starts a session remotely with an APP_USER Token it never pushed
    Then each command is answered with a CommandResponse and its CommandResult reaches roamcert in time
    And a Session for that Token starts at the EVSE asked for, carrying the Token
    And the CPO neither refuses the Token nor asks roamcert about it in real time
    When roamcert stops that session remotely
    Then the Session is completed, and its CDR, once sent, carries the Token

  @id:OCPI-2.2.1-TC-CMD-CPO-03
  Scenario: RESERVE_NOW, then CANCEL_RESERVATION
    When roamcert reserves an EVSE with an RFID Token it never pushed, cancels the reservation and cancels it again
    Then each command is answered with a CommandResponse and its CommandResult reaches roamcert in time
    And the reservation is made and canceled, and the second cancel finds it no more
    And while the reservation holds, the EVSE's status is RESERVED
    And the reservation gives a Session with status RESERVATION, COMPLETED once the reservation is canceled
    And the CPO neither refuses the reservation's Token nor asks roamcert about it in real time

  @id:OCPI-2.2.1-TC-CMD-CPO-04
  Scenario: CANCEL_RESERVATION of a reservation the CPO does not hold
    When roamcert cancels a reservation it never made
    Then each command is answered with a CommandResponse and its CommandResult reaches roamcert in time
    And the CPO reports the reservation unknown

  @id:OCPI-2.2.1-TC-CMD-CPO-05
  Scenario: UNLOCK_CONNECTOR
    When roamcert asks the CPO to unlock a connector
    Then each command is answered with a CommandResponse and its CommandResult reaches roamcert in time

  @id:OCPI-2.2.1-TC-CMD-CPO-06
  Scenario: STOP_SESSION of a Session the CPO does not know
    When roamcert stops a session that does not exist
    Then the CPO answers UNKNOWN_SESSION
    And no CommandResult follows a command the CPO did not accept

  @id:OCPI-2.2.1-TC-CMD-CPO-07
  Scenario: Commands at a Location the CPO does not have
    When roamcert sends START_SESSION and UNLOCK_CONNECTOR for a Location the CPO does not have
    Then the CPO answers status code 2003 and accepts neither
    And no CommandResult follows a command the CPO did not accept

  @id:OCPI-2.2.1-TC-CMD-CPO-08
  Scenario: A command whose body is not the command's object
    When roamcert sends a START_SESSION without a Token
    Then the CPO refuses it with status code 2001 and carries nothing out
    And no CommandResult follows a command the CPO did not accept

  @id:OCPI-2.2.1-TC-CMD-CPO-09
  Scenario: START_SESSION at an EVSE whose Charge Point does not answer
    When roamcert starts a session remotely at an EVSE whose Charge Point takes commands but never answers them
    Then each command is answered with a CommandResponse and its CommandResult reaches roamcert in time
    And the CPO reports TIMEOUT within the timeout it announced
