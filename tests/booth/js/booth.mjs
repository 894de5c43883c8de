// Test driver: runs the booth's modules in Node for tests/booth (JSON tasks in, JSON out).
//
//   node --import ./loader.mjs booth.mjs < tasks.json > results.json
//
// stdin: {"tasks": [{"op": ..., ...}, ...]}; stdout: {"results": [...]}, one per task; a task
// whose input the booth refuses gives {"error": code, "message": ...}.
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import * as audit from '../../../src/saylau/web/booth/static/booth/audit.js';
import * as B from '../../../src/saylau/web/booth/static/booth/belenios.js';

/** Deterministic bytes for reproducible test ballots (never for real ballots). */
function seededRng(seed) {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (pool.length === 0) pool = sha256(new TextEncoder().encode(`${seed}:${counter++}`));
      out[i] = pool[0];
      pool = pool.subarray(1);
    }
    return out;
  };
}

const elections = new Map();
function election(raw) {
  if (!elections.has(raw)) elections.set(raw, B.parseElection(raw));
  return elections.get(raw);
}

function time(f, n) {
  const t = performance.now();
  for (let i = 0; i < n; i++) f(i);
  return (performance.now() - t) / n;
}

const OPS = {
  parse_election: (t) => {
    const e = election(t.election);
    return { uuid: e.uuid, fingerprint: e.fingerprint, questions: e.questions };
  },
  public_credential: (t) => ({ credential: B.publicCredential(t.uuid, t.credential) }),
  make: (t) => {
    const e = election(t.election);
    const made = B.makeBallot(e, t.credential, t.choices, t.seed === undefined ? {} : { rng: seededRng(t.seed) });
    return { ballot: made.ballot, tracker: made.tracker, credential: made.credential, audit: audit.makeAudit(e, made) };
  },
  check: (t) => ({ findings: B.checkBallot(election(t.election), t.ballot, t.credentials) }),
  check_audit: (t) => ({ findings: audit.checkAudit(election(t.election), t.ballot, t.audit) }),
  describe_audit: (t) => ({ description: audit.describeAudit(election(t.election), t.audit) }),
  audit_payload: (t) => ({ payload: audit.auditPayload(t.audit) }),
  audit_from_payload: (t) => ({ audit: audit.auditFromPayload(t.payload) }),
  audited_tracker: (t) => ({ tracker: audit.auditedTracker(t.audit) }),
  choice_vector: (t) => ({ choice: B.choiceVector(election(t.election).questions[t.question], t.selected, t.blank) }),
  bench: (t) => {
    const e = election(t.election);
    const n = t.n ?? 10;
    const made = [];
    B.makeBallot(e, t.credential, t.choices); // warm up (JIT, the precomputed tables)
    B.checkBallot(e, B.makeBallot(e, t.credential, t.choices).ballot);
    const make = time(() => made.push(B.makeBallot(e, t.credential, t.choices).ballot), n);
    let bad = 0;
    const check = time((i) => { bad += B.checkBallot(e, made[i]).length; }, n);
    return { n, make_ms: make, check_ms: check, invalid: bad, bytes: made[0].length };
  },
};

const { tasks } = JSON.parse(readFileSync(0, 'utf8'));
const results = tasks.map((t) => {
  try {
    if (!(t.op in OPS)) throw new Error(`unknown op ${t.op}`);
    return OPS[t.op](t);
  } catch (e) {
    if (e instanceof B.BoothError) return { error: e.code, message: e.message };
    throw e;
  }
});
process.stdout.write(JSON.stringify({ results }));
