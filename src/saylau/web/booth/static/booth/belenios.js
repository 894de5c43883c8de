// Belenios ballots in the browser (Ed25519 group): make, check, track.
//
// A plain ES module, no build step. It follows shared/docs/belenios-protocol.md §2.1, §3, §4
// and §5 and stays byte-compatible with Saylau's Python (saylau.crypto.*,
// saylau.record.ballot): a ballot made here verifies with `saylau verify` and belenios-tool,
// and `checkBallot` accepts exactly the ballots Python's parse_ballot + check_ballot accept
// (it reports every defect it finds instead of stopping at the first).
//
// The vendored @noble/curves imports `@noble/hashes/…` by bare specifier, so a page that loads
// this module needs an import map (see vendor/VENDOR.md):
//   <script type="importmap">{"imports": {"@noble/hashes/": "<static>/booth/vendor/noble-hashes-2.4.0/"}}</script>
//
// Conventions:
// - Points are noble `ed25519.Point`s; in JSON a point is the RFC 8032 encoding (32 bytes,
//   little-endian) REVERSED, as 64 lowercase hex digits (Belenios byte order).
// - Scalars are BigInts in [0, q); in JSON, canonical decimal strings.
// - `Hq(prefix; e1, …, en) = int(SHA256(prefix ‖ e1 "," … en)) mod q`.
// - Every scalar multiplication by a secret (encryption nonces, proof commitments, the
//   credential's key) and every multiplication in the prover uses the constant-time
//   `multiply`; `multiplyUnsafe` (variable time) is used only by the verifier, on public values.
// - Randomness: `rng(n)` returns n random bytes; the default is crypto.getRandomValues. Tests
//   inject a deterministic one.

import { mulAddUnsafe } from './vendor/noble-curves-2.4.0/abstract/curve.js';
import { ed25519 } from './vendor/noble-curves-2.4.0/ed25519.js';
import { pbkdf2 } from './vendor/noble-hashes-2.4.0/pbkdf2.js';
import { sha256 } from './vendor/noble-hashes-2.4.0/sha2.js';

export const GROUP = 'Ed25519';
const Point = ed25519.Point;
/** The prime group order q. */
export const Q = Point.Fn.ORDER;
const P = 2n ** 255n - 19n;
const G = Point.BASE;
const ZERO = Point.ZERO;

const ELECTION_KEYS = ['version', 'description', 'name', 'group', 'public_key', 'questions', 'uuid',
  'administrator', 'credential_authority'];
const QUESTION_KEYS = ['answers', 'blank', 'min', 'max', 'question'];
const BALLOT_KEYS = ['election_uuid', 'election_hash', 'credential', 'answers', 'signature'];
const ANSWER_KEYS = ['choices', 'individual_proofs', 'overall_proof', 'blank_proof'];
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58 = `[${BASE58}]`;
const CRED_V3 = new RegExp(`^${B58}{5}-${B58}{6}-${B58}{5}-${B58}{6}$`);
const CRED_V2 = new RegExp(`^${B58}{3}-${B58}{3}-${B58}{3}-${B58}{3}-${B58}{3}$`);
const UUID = /^[1-9A-HJ-NP-Za-km-z]{14,}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,77})$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** An input this module refuses (an election, a credential or a choice), with a stable code. */
export class BoothError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'BoothError';
    this.code = code;
  }
}

// ------------------------------------------------------------------------------- encodings

const encoder = new TextEncoder();
const utf8 = (s) => encoder.encode(s);

function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard Base64 without `=` padding (`url`: the URL-safe alphabet). */
export function base64(bytes, url = false) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63];
  }
  return url ? out.replaceAll('+', '-').replaceAll('/', '_') : out;
}

/** Decode Base64 (either alphabet, padding optional); throws on anything else. */
export function unbase64(text) {
  const s = text.replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(s) || s.length % 4 === 1) throw new BoothError('base64', 'not Base64');
  const out = new Uint8Array(Math.floor((s.length * 6) / 8));
  let acc = 0, bits = 0, j = 0;
  for (const ch of s) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 255;
    }
  }
  return out;
}

/** `b64(SHA256(x))` (43 characters): election fingerprints, ballot trackers, signature hashes. */
export function b64Sha256(data) {
  return base64(sha256(typeof data === 'string' ? utf8(data) : data));
}

/** The smart ballot tracker: b64(SHA256(ballot bytes)), protocol doc §5.4. */
export function tracker(ballot) {
  return b64Sha256(ballot);
}

/** Canonical JSON (compact, fields in insertion order): what Python's `dumps` writes. */
export const canonical = (value) => JSON.stringify(value);

const mod = (a) => ((a % Q) + Q) % Q;

/** A point in Belenios JSON form: the RFC 8032 bytes reversed, as hex. */
export function encodePoint(point) {
  return toHex(point.toBytes().reverse());
}

/**
 * Decode a Belenios point and check it as Python's Group.parse does (libsodium's
 * `is_valid_point`, plus the identity that Belenios accepts). Returns the Point, or throws a
 * BoothError whose code says why: point.encoding, point.noncanonical, point.off_curve,
 * point.small_order, point.torsion.
 */
export function decodePoint(hex) {
  if (typeof hex !== 'string' || !HEX64.test(hex)) {
    throw new BoothError('point.encoding', 'expected exactly 64 lowercase hex digits');
  }
  const raw = new Uint8Array(32);
  for (let i = 0; i < 32; i++) raw[31 - i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const y = BigInt('0x' + hex) & ((1n << 255n) - 1n);
  if (y >= P) throw new BoothError('point.noncanonical', 'non-canonical encoding (y is not below 2^255 - 19)');
  let point;
  try {
    point = Point.fromBytes(raw); // RFC 8032 strict decoding: always on the curve if it succeeds
  } catch {
    const sign = (raw[31] & 0x80) !== 0;
    if (sign && (y === 1n || y === P - 1n)) {
      throw new BoothError('point.noncanonical', 'non-canonical encoding (x = 0 with the sign bit set)');
    }
    throw new BoothError('point.off_curve', 'not a point on the curve edwards25519');
  }
  if (point.equals(ZERO)) return ZERO; // the identity: a valid Belenios element
  if (point.isSmallOrder()) throw new BoothError('point.small_order', 'point of small order');
  if (!point.isTorsionFree()) {
    throw new BoothError('point.torsion', 'point is not in the prime-order subgroup (mixed-order point)');
  }
  return point;
}

/** A JSON scalar: a canonical decimal string in [0, q); throws BoothError('scalar.invalid'). */
export function decodeScalar(value) {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new BoothError('scalar.invalid', 'expected a canonical decimal string');
  }
  const n = BigInt(value);
  if (n >= Q) throw new BoothError('scalar.invalid', 'scalar is not below the group order q');
  return n;
}

/** Belenios `Hq` (protocol doc §1). */
export function hashToScalar(prefix, elements) {
  return BigInt('0x' + toHex(sha256(utf8(prefix + elements.join(','))))) % Q;
}

// ------------------------------------------------------------------------------ randomness

/** The default RNG: crypto.getRandomValues. */
export function systemRng(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/** Uniform in [1, q): 512 random bits reduced mod q (bias below 2^-250), never 0. */
export function randomScalar(rng) {
  for (;;) {
    const bytes = rng(64);
    if (!(bytes instanceof Uint8Array) || bytes.length !== 64) throw new BoothError('rng', 'the RNG must return the bytes asked for');
    const n = BigInt('0x' + toHex(bytes)) % Q;
    if (n !== 0n) return n;
  }
}

// Constant-time scalar multiplication for the prover (noble's `multiply` refuses 0 and the
// identity point cannot be multiplied meaningfully: both give the identity).
function mulSecret(point, k) {
  return k === 0n || point.equals(ZERO) ? ZERO : point.multiply(k);
}

// g^m for the small public messages of range proofs.
const smallPowers = [ZERO, G];
function gPow(m) {
  while (smallPowers.length <= m) smallPowers.push(smallPowers[smallPowers.length - 1].add(G));
  return smallPowers[m];
}

// ------------------------------------------------------------------------------- elections

function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v;
}

function electionError(where, message) {
  return new BoothError('election.invalid', `${where}: ${message}`);
}

function strictObject(v, where, keys, optional = []) {
  if (jsonType(v) !== 'object') throw electionError(where, `expected an object, got ${jsonType(v)}`);
  const present = Object.keys(v);
  const missing = keys.filter((k) => !Object.hasOwn(v, k) && !optional.includes(k));
  const extra = present.filter((k) => !keys.includes(k));
  if (missing.length) throw electionError(where, `missing field(s) ${missing.join(', ')}`);
  if (extra.length) throw electionError(where, `unknown field(s) ${extra.join(', ')}`);
  const order = keys.filter((k) => Object.hasOwn(v, k));
  if (present.some((k, i) => k !== order[i])) throw electionError(where, 'fields out of canonical order');
  return v;
}

function asBytes(raw) {
  if (typeof raw === 'string') return utf8(raw);
  if (raw instanceof Uint8Array) return raw;
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  throw new BoothError('input', 'expected a string or bytes');
}

function decodeUtf8(bytes, code, where) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BoothError(code, `${where}: not UTF-8`);
  }
}

/**
 * Parse `election.json` (a string or bytes, as served: one trailing newline is dropped, as
 * Python's read_file does). The fingerprint φ is taken over the exact bytes. Only the Ed25519
 * group is supported here. Throws BoothError('election.invalid' | 'election.group').
 */
export function parseElection(raw) {
  let bytes = asBytes(raw);
  if (bytes.length && bytes[bytes.length - 1] === 0x0a) bytes = bytes.subarray(0, bytes.length - 1);
  const text = decodeUtf8(bytes, 'election.invalid', 'election');
  let d;
  try {
    d = JSON.parse(text);
  } catch (e) {
    throw electionError('election', `malformed JSON: ${e.message}`);
  }
  strictObject(d, 'election', ELECTION_KEYS, ['administrator', 'credential_authority']);
  if (d.version !== 1) throw electionError('election.version', `unsupported version ${JSON.stringify(d.version)}`);
  if (d.group !== GROUP) {
    throw new BoothError('election.group', `election.group: ${JSON.stringify(d.group)} is not supported by the booth (only ${GROUP})`);
  }
  let publicKey;
  try {
    publicKey = decodePoint(d.public_key);
  } catch (e) {
    throw electionError('election.public_key', e.message);
  }
  if (!Array.isArray(d.questions) || d.questions.length === 0) throw electionError('election.questions', 'expected a non-empty list');
  const questions = d.questions.map((q, i) => {
    const w = `election.questions[${i}]`;
    strictObject(q, w, QUESTION_KEYS, ['blank']);
    if (!Array.isArray(q.answers) || q.answers.length === 0 || q.answers.some((a) => typeof a !== 'string')) {
      throw electionError(`${w}.answers`, 'expected a non-empty list of strings');
    }
    if (Object.hasOwn(q, 'blank') && q.blank !== true) throw electionError(`${w}.blank`, 'present only when true');
    const blank = q.blank === true;
    const n = q.answers.length;
    if (!Number.isInteger(q.min) || q.min < 0 || q.min > n) throw electionError(`${w}.min`, `must be an integer in [0, ${n}]`);
    if (!Number.isInteger(q.max) || q.max < q.min || q.max > n) throw electionError(`${w}.max`, `must be an integer in [${q.min}, ${n}]`);
    if (blank && q.min === 0) throw electionError(`${w}.min`, 'a blank-allowed question needs min ≥ 1');
    if (typeof q.question !== 'string') throw electionError(`${w}.question`, 'expected a string');
    return Object.freeze({ question: q.question, answers: Object.freeze([...q.answers]), min: q.min, max: q.max, blank });
  });
  for (const k of ['name', 'description', 'uuid']) {
    if (typeof d[k] !== 'string') throw electionError(`election.${k}`, 'expected a string');
  }
  if (!UUID.test(d.uuid)) throw electionError('election.uuid', 'must be at least 14 base58 characters');
  if (!publicKey.equals(ZERO)) publicKey.precompute(6, true); // y: in every ciphertext and proof
  return Object.freeze({
    raw: bytes,
    fingerprint: b64Sha256(bytes),
    uuid: d.uuid,
    name: d.name,
    description: d.description,
    group: GROUP,
    publicKey,
    publicKeyHex: d.public_key,
    questions: Object.freeze(questions),
  });
}

function electionOf(election) {
  return election && election.fingerprint && election.publicKey ? election : parseElection(election);
}

/** Number of ciphertexts of a question's answer: one per answer, plus the blank flag. */
export const slots = (q) => q.answers.length + (q.blank ? 1 : 0);
/** Number of items of a question's overall proof. */
export const overallItems = (q) => q.max - q.min + (q.blank ? 2 : 1);

/**
 * The 0/1 choice vector of a question from the selected answer indices (0-based);
 * `blank = true` for a blank vote (blank-allowed questions only). Blank flag first.
 */
export function choiceVector(question, selected, blank = false) {
  const v = question.answers.map((_, i) => (selected.includes(i) ? 1 : 0));
  const out = question.blank ? [blank ? 1 : 0, ...v] : v;
  checkChoice(question, out);
  return out;
}

/** Throw BoothError('choice.invalid') unless `choice` is a valid plaintext for `question`. */
export function checkChoice(question, choice) {
  const fail = (m) => { throw new BoothError('choice.invalid', m); };
  if (!Array.isArray(choice) || choice.length !== slots(question)) fail(`expected ${slots(question)} entries`);
  if (choice.some((m) => m !== 0 && m !== 1)) fail('every entry must be 0 or 1');
  const body = question.blank ? choice.slice(1) : choice;
  const sum = body.reduce((a, b) => a + b, 0);
  if (question.blank && choice[0] === 1) {
    if (sum !== 0) fail('a blank vote selects no answer');
    return;
  }
  if (sum < question.min || sum > question.max) fail(`select between ${question.min} and ${question.max} answers, got ${sum}`);
}

// ----------------------------------------------------------------------------- credentials

function b58Value(s) {
  let v = 0n;
  for (const ch of s) v = v * 58n + BigInt(BASE58.indexOf(ch));
  return v;
}

/**
 * The signing key x of a private credential (protocol doc §4.2): the 3.x format
 * `XXXXX-XXXXXX-XXXXX-XXXXXX` (double SHA-256) or the 2.0 format `XXX-XXX-XXX-XXX-XXX`
 * (checksum, then PBKDF2-HMAC-SHA256). Throws BoothError('credential.invalid').
 */
export function deriveCredential(uuid, credential) {
  let x;
  if (typeof credential === 'string' && CRED_V3.test(credential)) {
    const h0 = toHex(sha256(utf8(`derive_credential|${uuid}|0|${credential}`)));
    const h1 = toHex(sha256(utf8(`derive_credential|${uuid}|1|${credential}`)));
    x = BigInt('0x' + h0 + h1) % Q;
  } else if (typeof credential === 'string' && CRED_V2.test(credential)) {
    const raw = credential.replaceAll('-', '');
    if (BASE58[53 - Number(b58Value(raw.slice(0, 14)) % 53n)] !== raw[14]) {
      throw new BoothError('credential.invalid', 'credential checksum does not match (mistyped?)');
    }
    const key = pbkdf2(sha256, utf8(credential), utf8(uuid), { c: 1000, dkLen: 32 });
    x = BigInt('0x' + toHex(key)) % Q;
  } else {
    throw new BoothError('credential.invalid', 'not a credential: expected XXXXX-XXXXXX-XXXXX-XXXXXX or XXX-XXX-XXX-XXX-XXX');
  }
  if (x === 0n) throw new BoothError('credential.invalid', 'credential derives to the zero key');
  return x;
}

/** The public credential g^x of a private credential, in Belenios hex. */
export function publicCredential(uuid, credential) {
  return encodePoint(G.multiply(deriveCredential(uuid, credential)));
}

// ---------------------------------------------------------------------------------- proofs

/** Schnorr proof of knowledge of x (X = g^x) over `prefix`: `sig|H|`, `pok|…|`. */
function proveSchnorr(prefix, x, rng) {
  const w = randomScalar(rng);
  const c = hashToScalar(prefix, [encodePoint(G.multiply(w))]);
  return { challenge: c, response: mod(w - x * c) };
}

/**
 * Disjunctive proof that statements[trueIndex] = (a, b, m) holds, i.e. a = g^rho and
 * b / g^m = y^rho, hiding which one (protocol doc §5.3). Every multiplication, in the true and
 * in the simulated branches, goes through the constant-time `multiply`, so no secret scalar
 * steers the timing (the true branch does two multiplications where a simulated one does four,
 * as in Saylau's Python and in Belenios).
 */
function proveDisjunction(prefix, y, statements, trueIndex, rho, rng) {
  const items = [];
  const commitments = [];
  let w = 0n;
  statements.forEach(([a, b, m], j) => {
    let A, B;
    if (j === trueIndex) {
      w = randomScalar(rng);
      A = G.multiply(w);
      B = mulSecret(y, w);
      items.push(null);
    } else {
      const c = randomScalar(rng), r = randomScalar(rng);
      A = G.multiply(r).add(mulSecret(a, c));
      B = mulSecret(y, r).add(mulSecret(b.subtract(gPow(m)), c));
      items.push({ challenge: c, response: r });
    }
    commitments.push(encodePoint(A), encodePoint(B));
  });
  const total = hashToScalar(prefix, commitments);
  const others = items.reduce((s, it) => (it ? s + it.challenge : s), 0n);
  const c = mod(total - others);
  items[trueIndex] = { challenge: c, response: mod(w - rho * c) };
  return items;
}

// Verifier side: public values only. `base^r · x^c` as one variable-time double
// multiplication (Strauss–Shamir: one shared doubling chain).
function commit(base, r, x, c) {
  return mulAddUnsafe(Point, [base, x], [r, c]);
}

function disjunctionHolds(prefix, y, statements, proof) {
  const commitments = [];
  let sum = 0n;
  statements.forEach(([a, b, m], j) => {
    const { challenge: c, response: r } = proof[j];
    commitments.push(encodePoint(commit(G, r, a, c)));
    commitments.push(encodePoint(commit(y, r, m === 0 ? b : b.subtract(gPow(m)), c)));
    sum += c;
  });
  return sum % Q === hashToScalar(prefix, commitments);
}

function schnorrHolds(prefix, X, proof) {
  return hashToScalar(prefix, [encodePoint(commit(G, proof.response, X, proof.challenge))]) === proof.challenge;
}

const pairs = (cts) => cts.map((ct) => `${ct.alphaHex},${ct.betaHex}`).join(',');

function sumCts(cts) {
  let alpha = ZERO, beta = ZERO;
  for (const ct of cts) {
    alpha = alpha.add(ct.alpha);
    beta = beta.add(ct.beta);
  }
  return { alpha, beta };
}

const rangeStatements = (t, lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => [t.alpha, t.beta, lo + i]);

// ------------------------------------------------------------------------------- encryption

/** Exponential ElGamal with a given nonce: (g^r, y^r·g^m). Constant time in r. */
export function encryptWithNonce(y, m, r) {
  return { alpha: mulSecret(G, r), beta: mulSecret(y, r).add(gPow(m)) };
}

function ct(alpha, beta) {
  return { alpha, beta, alphaHex: encodePoint(alpha), betaHex: encodePoint(beta) };
}

const proofJson = (p) => ({ challenge: p.challenge.toString(), response: p.response.toString() });

function encryptAnswer(election, s0, question, choice, rng) {
  const y = election.publicKey;
  const cts = [], nonces = [], indiv = [];
  for (const m of choice) {
    const r = randomScalar(rng);
    const e = encryptWithNonce(y, m, r);
    const c = ct(e.alpha, e.beta);
    cts.push(c);
    nonces.push(r);
    const prefix = `prove|${s0}|${c.alphaHex},${c.betaHex}|`;
    indiv.push(proveDisjunction(prefix, y, [[c.alpha, c.beta, 0], [c.alpha, c.beta, 1]], m, r, rng));
  }
  const s = `${s0}|${pairs(cts)}`;
  const answer = {
    choices: cts.map((c) => ({ alpha: c.alphaHex, beta: c.betaHex })),
    individual_proofs: indiv.map((p) => p.map(proofJson)),
  };
  if (!question.blank) {
    const total = sumCts(cts);
    const prefix = `prove|${s}|${encodePoint(total.alpha)},${encodePoint(total.beta)}|`;
    const sum = choice.reduce((a, b) => a + b, 0);
    const rho = mod(nonces.reduce((a, b) => a + b, 0n));
    answer.overall_proof = proveDisjunction(prefix, y, rangeStatements(total, question.min, question.max),
      sum - question.min, rho, rng).map(proofJson);
  } else {
    const flag = cts[0], rest = sumCts(cts.slice(1));
    const r0 = nonces[0], rRest = mod(nonces.slice(1).reduce((a, b) => a + b, 0n));
    const isBlank = choice[0] === 1;
    // The blank proof is computed first (as in Python: the same random stream gives the same
    // ballot), but `overall_proof` comes first in the JSON.
    const blankProof = proveDisjunction(`bproof0|${s}|`, y, [[flag.alpha, flag.beta, 0], [rest.alpha, rest.beta, 0]],
      isBlank ? 1 : 0, isBlank ? rRest : r0, rng);
    const overall = [[flag.alpha, flag.beta, 1], ...rangeStatements(rest, question.min, question.max)];
    const index = isBlank ? 0 : 1 + choice.slice(1).reduce((a, b) => a + b, 0) - question.min;
    answer.overall_proof = proveDisjunction(`bproof1|${s}|`, y, overall, index, isBlank ? r0 : rRest, rng).map(proofJson);
    answer.blank_proof = blankProof.map(proofJson);
  }
  return { answer, nonces };
}

/**
 * Encrypt and sign a choice (one 0/1 list per question, blank flag first).
 *
 * Returns `{ballot, tracker, credential, choices, randomness}`: the canonical ballot text
 * (byte-identical in layout to saylau.record.ballot.make_ballot), its tracker, the public
 * credential, and — for a Benaloh audit only (audit.js) — the choices and the nonces
 * (BigInts, one list per question). Drop `randomness` once the ballot is cast.
 */
export function makeBallot(electionInput, privateCredential, choices, { rng = systemRng } = {}) {
  const election = electionOf(electionInput);
  if (!Array.isArray(choices) || choices.length !== election.questions.length) {
    throw new BoothError('choice.invalid', `expected ${election.questions.length} answers`);
  }
  choices.forEach((c, i) => {
    try {
      checkChoice(election.questions[i], c);
    } catch (e) {
      throw new BoothError('choice.invalid', `question ${i + 1}: ${e.message}`);
    }
  });
  const x = deriveCredential(election.uuid, privateCredential);
  const credential = encodePoint(G.multiply(x));
  const s0 = `${election.fingerprint}|${credential}`;
  const answers = [], randomness = [];
  election.questions.forEach((q, i) => {
    const { answer, nonces } = encryptAnswer(election, s0, q, choices[i], rng);
    answers.push(answer);
    randomness.push(nonces);
  });
  const unsigned = { election_uuid: election.uuid, election_hash: election.fingerprint, credential, answers };
  const ballot = canonical(signBallot(unsigned, x, rng));
  return { ballot, tracker: tracker(ballot), credential, choices: choices.map((c) => [...c]), randomness };
}

/**
 * Add the signature (protocol doc §5.4) to an unsigned ballot object (fields in canonical
 * order); `x` is the credential's signing key. Returns a new object.
 */
export function signBallot(unsigned, x, rng = systemRng) {
  const { election_uuid, election_hash, credential, answers } = unsigned;
  const body = { election_uuid, election_hash, credential, answers };
  const hash = b64Sha256(canonical(body));
  return { ...body, signature: { hash, proof: proofJson(proveSchnorr(`sig|${hash}|`, x, rng)) } };
}

// -------------------------------------------------------------------------------- verifier

class Findings {
  constructor() {
    this.list = [];
  }

  add(code, where, message) {
    this.list.push({ code, where, message });
    return false;
  }

  /** Check the fields of an object: exact set, canonical order. Returns false on a defect. */
  object(v, where, keys, optional = []) {
    if (jsonType(v) !== 'object') return this.add('field.type', where, `expected an object, got ${jsonType(v)}`);
    let ok = true;
    const present = Object.keys(v);
    for (const k of keys) {
      if (!Object.hasOwn(v, k) && !optional.includes(k)) ok = this.add('field.missing', `${where}.${k}`, 'missing field');
    }
    for (const k of present) {
      if (!keys.includes(k)) ok = this.add('field.extra', `${where}.${k}`, 'unknown field');
    }
    const order = keys.filter((k) => Object.hasOwn(v, k));
    if (ok && present.some((k, i) => k !== order[i])) {
      ok = this.add('field.order', where, `fields out of canonical order: ${present.join(', ')}`);
    }
    return ok;
  }

  isList(v, where) {
    return Array.isArray(v) ? true : this.add('field.type', where, `expected a list, got ${jsonType(v)}`);
  }

  point(v, where) {
    try {
      return decodePoint(v);
    } catch (e) {
      if (!(e instanceof BoothError)) throw e;
      this.add(e.code, where, e.message);
      return null;
    }
  }

  scalar(v, where) {
    try {
      return decodeScalar(v);
    } catch (e) {
      if (!(e instanceof BoothError)) throw e;
      this.add(e.code, where, e.message);
      return null;
    }
  }

  proof(v, where, n) {
    if (!this.isList(v, where)) return null;
    if (v.length !== n) {
      this.add('ballot.proof_count', where, `${v.length} proof items, expected ${n}`);
      return null;
    }
    let ok = true;
    const items = v.map((it, i) => {
      const w = `${where}[${i}]`;
      if (!this.object(it, w, ['challenge', 'response'])) {
        ok = false;
        return null;
      }
      const challenge = this.scalar(it.challenge, `${w}.challenge`);
      const response = this.scalar(it.response, `${w}.response`);
      if (challenge === null || response === null) ok = false;
      return { challenge, response };
    });
    return ok ? items : null;
  }
}

function checkAnswer(f, election, s0, question, a, w) {
  const y = election.publicKey;
  const n = slots(question);
  if (!f.object(a, w, ANSWER_KEYS, question.blank ? [] : ['blank_proof'])) return;
  if (!question.blank && Object.hasOwn(a, 'blank_proof')) {
    f.add('field.extra', `${w}.blank_proof`, 'present for a question without blank');
    return;
  }
  let ok = true;
  let cts = null;
  if (f.isList(a.choices, `${w}.choices`)) {
    if (a.choices.length !== n) {
      ok = f.add('ballot.choice_count', `${w}.choices`, `${a.choices.length} ciphertexts, expected ${n}`);
    } else {
      cts = a.choices.map((c, i) => {
        const cw = `${w}.choices[${i}]`;
        if (!f.object(c, cw, ['alpha', 'beta'])) return null;
        const alpha = f.point(c.alpha, `${cw}.alpha`), beta = f.point(c.beta, `${cw}.beta`);
        return alpha && beta ? ct(alpha, beta) : null;
      });
      if (cts.includes(null)) ok = false;
    }
  } else ok = false;
  let indiv = null;
  if (f.isList(a.individual_proofs, `${w}.individual_proofs`)) {
    if (a.individual_proofs.length !== n) {
      ok = f.add('ballot.proof_count', `${w}.individual_proofs`, `${a.individual_proofs.length} proofs, expected ${n}`);
    } else {
      indiv = a.individual_proofs.map((p, i) => f.proof(p, `${w}.individual_proofs[${i}]`, 2));
      if (indiv.includes(null)) ok = false;
    }
  } else ok = false;
  const overall = f.proof(a.overall_proof, `${w}.overall_proof`, overallItems(question));
  const blank = question.blank ? f.proof(a.blank_proof, `${w}.blank_proof`, 2) : undefined;
  if (!ok || !overall || blank === null) return; // proofs need a well-formed answer
  cts.forEach((c, i) => {
    const prefix = `prove|${s0}|${c.alphaHex},${c.betaHex}|`;
    if (!disjunctionHolds(prefix, y, [[c.alpha, c.beta, 0], [c.alpha, c.beta, 1]], indiv[i])) {
      f.add('proof.individual', `${w}.individual_proofs[${i}]`,
        `individual proof of choice ${i} does not hold (the ciphertext is not shown to encrypt 0 or 1)`);
    }
  });
  const s = `${s0}|${pairs(cts)}`;
  if (!question.blank) {
    const t = sumCts(cts);
    const prefix = `prove|${s}|${encodePoint(t.alpha)},${encodePoint(t.beta)}|`;
    if (!disjunctionHolds(prefix, y, rangeStatements(t, question.min, question.max), overall)) {
      f.add('proof.overall', `${w}.overall_proof`,
        `overall proof does not hold (the number of selected answers is not shown to be in [${question.min}, ${question.max}])`);
    }
    return;
  }
  const flag = cts[0], rest = sumCts(cts.slice(1));
  if (!disjunctionHolds(`bproof0|${s}|`, y, [[flag.alpha, flag.beta, 0], [rest.alpha, rest.beta, 0]], blank)) {
    f.add('proof.blank', `${w}.blank_proof`, 'blank proof does not hold (blank and a selection at once)');
  }
  const stmts = [[flag.alpha, flag.beta, 1], ...rangeStatements(rest, question.min, question.max)];
  if (!disjunctionHolds(`bproof1|${s}|`, y, stmts, overall)) {
    f.add('proof.overall', `${w}.overall_proof`,
      `overall proof does not hold (neither blank nor between ${question.min} and ${question.max} answers)`);
  }
}

/**
 * Check a ballot (string or bytes, exactly as it would be cast) against an election: JSON,
 * canonical form, structure, the election it is for, every point (canonical, on the curve,
 * in the prime-order subgroup), every scalar, every proof, the signature hash and signature,
 * and — when `publicCredentials` is given (an iterable of public credentials, or of
 * `cred,weight,login` entries) — that the credential is on the list.
 *
 * Returns a list of findings `{code, where, message}`; an empty list means valid.
 */
export function checkBallot(electionInput, ballotInput, publicCredentials = undefined) {
  const election = electionOf(electionInput);
  const f = new Findings();
  let text;
  try {
    text = typeof ballotInput === 'string' ? ballotInput : decodeUtf8(asBytes(ballotInput), 'json.malformed', 'ballot');
  } catch (e) {
    if (!(e instanceof BoothError)) throw e;
    f.add('json.malformed', 'ballot', e.message);
    return f.list;
  }
  let b;
  try {
    b = JSON.parse(text);
  } catch (e) {
    f.add('json.malformed', 'ballot', `malformed JSON: ${e.message}`);
    return f.list;
  }
  try {
    checkParsed(f, election, text, b, publicCredentials);
  } catch (e) { // e.g. a structure too deep to serialize: refused, never a crash
    f.add('ballot.unreadable', 'ballot', `the ballot could not be checked: ${e.message}`);
  }
  return f.list;
}

const show = (v) => String(JSON.stringify(v)).slice(0, 100);

function checkParsed(f, election, text, b, publicCredentials) {
  f.object(b, 'ballot', BALLOT_KEYS);
  if (jsonType(b) !== 'object' || BALLOT_KEYS.some((k) => !Object.hasOwn(b, k))) return;
  if (canonical(b) !== text) {
    f.add('ballot.noncanonical', 'ballot', 'not in canonical JSON form (Belenios refuses it as NonCanonical)');
  }
  let bound = true;
  if (b.election_uuid !== election.uuid) {
    bound = f.add('ballot.election_uuid', 'ballot.election_uuid',
      `${show(b.election_uuid)} is not this election (${election.uuid}); proofs not checked`);
  }
  if (b.election_hash !== election.fingerprint) {
    bound = f.add('ballot.election_hash', 'ballot.election_hash',
      `${show(b.election_hash)} is not this election's fingerprint ${election.fingerprint}; proofs not checked`);
  }
  const cred = f.point(b.credential, 'ballot.credential');
  if (cred && publicCredentials !== undefined) {
    const known = new Set([...publicCredentials].map((c) => String(c).split(',')[0]));
    if (!known.has(b.credential)) f.add('credential.unknown', 'ballot.credential', 'this credential is not on the election\'s list');
  }
  if (f.isList(b.answers, 'ballot.answers')) {
    if (b.answers.length !== election.questions.length) {
      f.add('ballot.answer_count', 'ballot.answers',
        `${b.answers.length} answers for ${election.questions.length} questions`);
    } else if (bound && cred) { // else the proofs cannot hold: reported as such above
      const s0 = `${election.fingerprint}|${b.credential}`;
      b.answers.forEach((a, i) => checkAnswer(f, election, s0, election.questions[i], a, `ballot.answers[${i}]`));
    }
  }
  if (f.object(b.signature, 'ballot.signature', ['hash', 'proof'])) {
    const { signature: _, ...unsigned } = b;
    const expected = b64Sha256(canonical(unsigned));
    if (b.signature.hash !== expected) {
      f.add('signature.hash', 'ballot.signature.hash', `${show(b.signature.hash)}, expected ${expected}`);
    }
    let proof = null;
    const pw = 'ballot.signature.proof';
    if (f.object(b.signature.proof, pw, ['challenge', 'response'])) {
      const challenge = f.scalar(b.signature.proof.challenge, `${pw}.challenge`);
      const response = f.scalar(b.signature.proof.response, `${pw}.response`);
      if (challenge !== null && response !== null) proof = { challenge, response };
    }
    if (proof && cred && typeof b.signature.hash === 'string' && !schnorrHolds(`sig|${b.signature.hash}|`, cred, proof)) {
      f.add('signature.proof', 'ballot.signature.proof', 'signature does not hold (not signed with this credential)');
    }
  }
}

/** Internals for audit.js and the tests; not a stable API. */
export const internals = Object.freeze({ G, ZERO, Point, mod, gPow, proveDisjunction, proveSchnorr, electionOf });
