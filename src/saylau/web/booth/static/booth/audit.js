// Cast-as-intended: the Benaloh challenge ("audit this ballot").
//
// After encrypting, the booth shows the ballot's tracker (its commitment), then offers to
// audit the ballot instead of casting it; only then may it reveal anything. Auditing
// reveals the choices and every encryption nonce, so that any second device (the audit page,
// `saylau audit-ballot`, or this module) can recompute each ciphertext and compare it with the
// ballot. A revealed ballot is no longer secret: it must NEVER be cast. The audit file carries
// the ballot's tracker, and the cast endpoint refuses any tracker that was audited
// (saylau.record.audit.audited_tracker gives it on the Python side). The voter then makes a
// fresh ballot, with fresh randomness.
//
// The audit file is canonical JSON, fields in this order (identical in Python,
// saylau.record.audit):
//   {"version":1,"election_uuid":U,"election_hash":φ,"tracker":T,
//    "choices":[[0,1,…],…],            one 0/1 list per question, blank flag first
//    "randomness":[["<decimal r>",…],…]}  one nonce per ciphertext, same shape
// The private credential is never part of it. For a QR code, `auditPayload` gives a compact
// text: "SAYLAU-AUDIT1:" + base64url(audit JSON) (no padding).

import {
  BoothError, Q, base64, canonical, checkBallot, checkChoice, encodePoint, internals, slots, tracker,
  unbase64,
} from './belenios.js';

export const AUDIT_VERSION = 1;
export const PAYLOAD_PREFIX = 'SAYLAU-AUDIT1:';
const AUDIT_KEYS = ['version', 'election_uuid', 'election_hash', 'tracker', 'choices', 'randomness'];
const DECIMAL = /^(0|[1-9][0-9]{0,77})$/;

/** The audit file (canonical JSON text) of a ballot just made by `makeBallot`. */
export function makeAudit(electionInput, made) {
  const election = internals.electionOf(electionInput);
  return canonical({
    version: AUDIT_VERSION,
    election_uuid: election.uuid,
    election_hash: election.fingerprint,
    tracker: made.tracker,
    choices: made.choices,
    randomness: made.randomness.map((rs) => rs.map((r) => r.toString())),
  });
}

/** Compact text for a QR code. */
export function auditPayload(auditText) {
  return PAYLOAD_PREFIX + base64(new TextEncoder().encode(auditText), true);
}

/** The audit JSON text back from a scanned payload; throws BoothError('audit.malformed'). */
export function auditFromPayload(payload) {
  if (typeof payload !== 'string' || !payload.startsWith(PAYLOAD_PREFIX)) {
    throw new BoothError('audit.malformed', `not an audit payload (expected the prefix ${PAYLOAD_PREFIX})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(unbase64(payload.slice(PAYLOAD_PREFIX.length).trim()));
  } catch {
    throw new BoothError('audit.malformed', 'the payload is not Base64url of UTF-8 text');
  }
}

/** The tracker an audit file reveals (that ballot must never be cast). */
export function auditedTracker(auditText) {
  const a = JSON.parse(auditText);
  if (typeof a?.tracker !== 'string') throw new BoothError('audit.malformed', 'no tracker in the audit');
  return a.tracker;
}

/**
 * Check an audit against the ballot it reveals: the audit is for this election and this
 * ballot (tracker), the revealed choices are valid, and re-encrypting each revealed choice with
 * its revealed nonce gives exactly the ballot's ciphertexts. The ballot's own checks
 * (checkBallot: proofs, signature) are included. Returns findings `{code, where, message}`;
 * empty means the ballot encrypts exactly the revealed choices.
 */
export function checkAudit(electionInput, ballotText, auditInput) {
  const election = internals.electionOf(electionInput);
  const findings = checkBallot(election, ballotText);
  const add = (code, where, message) => findings.push({ code, where, message });
  let a;
  try {
    a = typeof auditInput === 'string' ? JSON.parse(auditInput) : auditInput;
  } catch (e) {
    add('audit.malformed', 'audit', `malformed JSON: ${e.message}`);
    return findings;
  }
  if (a === null || typeof a !== 'object' || Array.isArray(a)) {
    add('audit.malformed', 'audit', 'expected an object');
    return findings;
  }
  const keys = Object.keys(a);
  if (keys.length !== AUDIT_KEYS.length || keys.some((k, i) => k !== AUDIT_KEYS[i])) {
    add('audit.malformed', 'audit', `expected exactly the fields ${AUDIT_KEYS.join(', ')} in this order`);
    return findings;
  }
  if (a.version !== AUDIT_VERSION) add('audit.malformed', 'audit.version', `unsupported version ${JSON.stringify(a.version)}`);
  if (a.election_uuid !== election.uuid) add('audit.election', 'audit.election_uuid', 'the audit is for another election');
  if (a.election_hash !== election.fingerprint) add('audit.election', 'audit.election_hash', 'the audit is for another election');
  const text = typeof ballotText === 'string' ? ballotText : new TextDecoder().decode(ballotText);
  if (a.tracker !== tracker(text)) add('audit.tracker', 'audit.tracker', `the audit is for ballot ${JSON.stringify(a.tracker)}, not this one (${tracker(text)})`);
  const qs = election.questions;
  if (!Array.isArray(a.choices) || a.choices.length !== qs.length) {
    add('audit.choice', 'audit.choices', `expected ${qs.length} lists`);
    return findings;
  }
  if (!Array.isArray(a.randomness) || a.randomness.length !== qs.length) {
    add('audit.randomness', 'audit.randomness', `expected ${qs.length} lists`);
    return findings;
  }
  let ballot;
  try {
    ballot = JSON.parse(text);
  } catch {
    return findings; // checkBallot reported it
  }
  qs.forEach((q, i) => {
    const choice = a.choices[i], rs = a.randomness[i];
    try {
      checkChoice(q, choice);
    } catch (e) {
      add('audit.choice', `audit.choices[${i}]`, e.message);
      return;
    }
    if (!Array.isArray(rs) || rs.length !== slots(q) || rs.some((r) => typeof r !== 'string' || !DECIMAL.test(r) || BigInt(r) >= Q)) {
      add('audit.randomness', `audit.randomness[${i}]`, `expected ${slots(q)} decimal scalars below q`);
      return;
    }
    const cts = ballot?.answers?.[i]?.choices;
    if (!Array.isArray(cts) || cts.length !== slots(q)) return; // checkBallot reported it
    choice.forEach((m, j) => {
      const r = BigInt(rs[j]); // revealed now: public, variable-time arithmetic is fine
      const alpha = internals.G.multiplyUnsafe(r);
      const beta = election.publicKey.multiplyUnsafe(r).add(internals.gPow(m));
      if (encodePoint(alpha) !== cts[j]?.alpha || encodePoint(beta) !== cts[j]?.beta) {
        add('audit.mismatch', `ballot.answers[${i}].choices[${j}]`,
          `the ciphertext is not the encryption of ${m} with the revealed randomness`);
      }
    });
  });
  return findings;
}

/**
 * What an audit reveals, for the voter to compare with what they chose: per question, the
 * question text and either `blank: true` or the selected answers' texts. Call it only on an
 * audit that `checkAudit` found in order.
 */
export function describeAudit(electionInput, auditText) {
  const election = internals.electionOf(electionInput);
  const a = JSON.parse(auditText);
  return election.questions.map((q, i) => {
    const choice = a.choices[i];
    const body = q.blank ? choice.slice(1) : choice;
    return {
      question: q.question,
      blank: q.blank && choice[0] === 1,
      selected: q.answers.filter((_, j) => body[j] === 1),
    };
  });
}
