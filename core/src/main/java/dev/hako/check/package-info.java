/** Checks: checked mode's block ledger and the audit that counts every block exactly once. */
package dev.hako.check;
