/** Checked mode: the process-wide switch and the block ledger it keeps (the audit is {@code dev.hako.Auditor}). */
package dev.hako.check;
