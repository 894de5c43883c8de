/*
 * Variable-time Ed25519 multi-scalar multiplication for *verifying* public data.
 *
 * Why this exists: libsodium's public API offers only single scalar multiplications, and
 * crypto_scalarmult_ed25519_noclamp re-checks that its input point lies in the prime-order
 * subgroup on every call (about half its cost). A Belenios verifier recomputes commitments
 * of the form g^r * X^c (and y^r * b^c * g^-mc), whose inputs have all been validated once,
 * at parsing, by libsodium (crypto_core_ed25519_is_valid_point). This module computes those
 * products in one pass (Straus interleaving of width-5 signed sliding windows), with no
 * membership re-check and no point re-encoding between steps.
 *
 * Scope and safety:
 *   - Only public values pass through here (ballots, proofs, keys): variable time is fine.
 *     Secret scalars (trustee keys, credentials, nonces) are never given to this module;
 *     proving uses libsodium.
 *   - Callers must pass points that libsodium validated (or the identity); the module still
 *     refuses encodings that are not on the curve, so a misuse cannot produce garbage.
 *   - Field elements: 5 limbs of 51 bits (radix 2^51), products in unsigned __int128.
 *   - Curve: -x^2 + y^2 = 1 + d x^2 y^2 (edwards25519), extended coordinates (X:Y:Z:T),
 *     the unified addition and doubling formulas of Hisil–Wong–Carter–Dawson (2008).
 *   - Correctness is pinned by property tests against libsodium (tests/test_ed25519_native.py).
 *
 * Written for Saylau from the published formulas; no code was copied from another project.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef unsigned __int128 u128;
typedef struct { uint64_t v[5]; } fe;
typedef struct { fe X, Y, Z, T; } ge;            /* extended coordinates */
typedef struct { fe YpX, YmX, Z2, T2d; } ge_cached; /* (Y+X, Y-X, 2Z, 2dT) */

#define MASK51 ((uint64_t)0x7ffffffffffffULL)

static fe FE_D, FE_D2, FE_SQRTM1, FE_ONE, FE_ZERO;

/* ----------------------------------------------------------------------------- field */

static void fe_frombytes(fe *h, const uint8_t s[32]) {
    uint64_t w[4];
    for (int i = 0; i < 4; i++) {
        uint64_t x = 0;
        for (int j = 7; j >= 0; j--) x = (x << 8) | s[8 * i + j];
        w[i] = x;
    }
    w[3] &= 0x7fffffffffffffffULL; /* the top bit is the sign of x, not part of y */
    h->v[0] = w[0] & MASK51;
    h->v[1] = ((w[0] >> 51) | (w[1] << 13)) & MASK51;
    h->v[2] = ((w[1] >> 38) | (w[2] << 26)) & MASK51;
    h->v[3] = ((w[2] >> 25) | (w[3] << 39)) & MASK51;
    h->v[4] = (w[3] >> 12) & MASK51;
}

static void fe_carry(fe *h) {
    uint64_t c;
    c = h->v[0] >> 51; h->v[0] &= MASK51; h->v[1] += c;
    c = h->v[1] >> 51; h->v[1] &= MASK51; h->v[2] += c;
    c = h->v[2] >> 51; h->v[2] &= MASK51; h->v[3] += c;
    c = h->v[3] >> 51; h->v[3] &= MASK51; h->v[4] += c;
    c = h->v[4] >> 51; h->v[4] &= MASK51; h->v[0] += 19 * c;
    c = h->v[0] >> 51; h->v[0] &= MASK51; h->v[1] += c;
}

/* Fully reduced little-endian encoding (the unique representative in [0, p)). */
static void fe_tobytes(uint8_t s[32], const fe *f) {
    fe h = *f;
    fe_carry(&h);
    fe_carry(&h);
    uint64_t q = (h.v[0] + 19) >> 51;
    q = (h.v[1] + q) >> 51;
    q = (h.v[2] + q) >> 51;
    q = (h.v[3] + q) >> 51;
    q = (h.v[4] + q) >> 51;
    h.v[0] += 19 * q;
    uint64_t c;
    c = h.v[0] >> 51; h.v[0] &= MASK51; h.v[1] += c;
    c = h.v[1] >> 51; h.v[1] &= MASK51; h.v[2] += c;
    c = h.v[2] >> 51; h.v[2] &= MASK51; h.v[3] += c;
    c = h.v[3] >> 51; h.v[3] &= MASK51; h.v[4] += c;
    h.v[4] &= MASK51;
    uint64_t w[4];
    w[0] = h.v[0] | (h.v[1] << 51);
    w[1] = (h.v[1] >> 13) | (h.v[2] << 38);
    w[2] = (h.v[2] >> 26) | (h.v[3] << 25);
    w[3] = (h.v[3] >> 39) | (h.v[4] << 12);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++) s[8 * i + j] = (uint8_t)(w[i] >> (8 * j));
}

static void fe_add(fe *h, const fe *f, const fe *g) {
    for (int i = 0; i < 5; i++) h->v[i] = f->v[i] + g->v[i];
    fe_carry(h);
}

/* f - g: adds 4p first so that no limb underflows (limbs of g are below 2^52 after carry) */
static void fe_sub(fe *h, const fe *f, const fe *g) {
    h->v[0] = f->v[0] + 0x1fffffffffffb4ULL - g->v[0];
    for (int i = 1; i < 5; i++) h->v[i] = f->v[i] + 0x1ffffffffffffcULL - g->v[i];
    fe_carry(h);
}

static void fe_mul(fe *h, const fe *f, const fe *g) {
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
    const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    u128 r0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 + (u128)f3 * g2_19 + (u128)f4 * g1_19;
    u128 r1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 + (u128)f3 * g3_19 + (u128)f4 * g2_19;
    u128 r2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 + (u128)f3 * g4_19 + (u128)f4 * g3_19;
    u128 r3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 + (u128)f3 * g0 + (u128)f4 * g4_19;
    u128 r4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 + (u128)f3 * g1 + (u128)f4 * g0;
    uint64_t c;
    r1 += (uint64_t)(r0 >> 51); uint64_t h0 = (uint64_t)r0 & MASK51;
    r2 += (uint64_t)(r1 >> 51); uint64_t h1 = (uint64_t)r1 & MASK51;
    r3 += (uint64_t)(r2 >> 51); uint64_t h2 = (uint64_t)r2 & MASK51;
    r4 += (uint64_t)(r3 >> 51); uint64_t h3 = (uint64_t)r3 & MASK51;
    c = (uint64_t)(r4 >> 51); uint64_t h4 = (uint64_t)r4 & MASK51;
    h0 += 19 * c;
    c = h0 >> 51; h0 &= MASK51; h1 += c;
    h->v[0] = h0; h->v[1] = h1; h->v[2] = h2; h->v[3] = h3; h->v[4] = h4;
}

static void fe_sq(fe *h, const fe *f) { fe_mul(h, f, f); }

static void fe_sqn(fe *h, const fe *f, int n) {
    fe_sq(h, f);
    for (int i = 1; i < n; i++) fe_sq(h, h);
}

/* z^(2^250 - 1) and z^11: the common prefix of the inversion and square-root chains */
static void fe_pow_2_250_1(fe *out, fe *z11, const fe *z) {
    fe t0, t1, t2, z9;
    fe_sq(&t0, z);                 /* z^2 */
    fe_sqn(&t1, &t0, 2);           /* z^8 */
    fe_mul(&z9, &t1, z);           /* z^9 */
    fe_mul(z11, &t0, &z9);         /* z^11 */
    fe_sq(&t0, z11);               /* z^22 */
    fe_mul(&t0, &t0, &z9);         /* z^31 = z^(2^5-1) */
    fe_sqn(&t1, &t0, 5);
    fe_mul(&t0, &t1, &t0);         /* 2^10-1 */
    fe_sqn(&t1, &t0, 10);
    fe_mul(&t1, &t1, &t0);         /* 2^20-1 */
    fe_sqn(&t2, &t1, 20);
    fe_mul(&t1, &t2, &t1);         /* 2^40-1 */
    fe_sqn(&t1, &t1, 10);
    fe_mul(&t0, &t1, &t0);         /* 2^50-1 */
    fe_sqn(&t1, &t0, 50);
    fe_mul(&t1, &t1, &t0);         /* 2^100-1 */
    fe_sqn(&t2, &t1, 100);
    fe_mul(&t1, &t2, &t1);         /* 2^200-1 */
    fe_sqn(&t1, &t1, 50);
    fe_mul(out, &t1, &t0);         /* 2^250-1 */
}

static void fe_invert(fe *out, const fe *z) { /* z^(p-2) = z^(2^255 - 21) */
    fe t, z11;
    fe_pow_2_250_1(&t, &z11, z);
    fe_sqn(&t, &t, 5);             /* 2^255 - 32 */
    fe_mul(out, &t, &z11);
}

static void fe_pow22523(fe *out, const fe *z) { /* z^((p-5)/8) = z^(2^252 - 3) */
    fe t, z11;
    fe_pow_2_250_1(&t, &z11, z);
    fe_sqn(&t, &t, 2);             /* 2^252 - 4 */
    fe_mul(out, &t, z);
}

static int fe_equal(const fe *a, const fe *b) {
    uint8_t sa[32], sb[32];
    fe_tobytes(sa, a);
    fe_tobytes(sb, b);
    return memcmp(sa, sb, 32) == 0;
}

static int fe_isneg(const fe *a) { uint8_t s[32]; fe_tobytes(s, a); return s[0] & 1; }

static void fe_neg(fe *h, const fe *f) { fe_sub(h, &FE_ZERO, f); }

/* ----------------------------------------------------------------------------- points */

static void ge_identity(ge *p) { p->X = FE_ZERO; p->Y = FE_ONE; p->Z = FE_ONE; p->T = FE_ZERO; }

/* Decode a 32-byte encoding; returns 0 on success, -1 if it is not a canonical curve point. */
static int ge_frombytes(ge *p, const uint8_t s[32]) {
    fe y, u, v, v3, vxx, x, chk;
    uint8_t back[32];
    fe_frombytes(&y, s);
    fe_tobytes(back, &y);
    if (memcmp(back, s, 31) != 0 || back[31] != (s[31] & 0x7f)) return -1; /* y >= p */
    fe_sq(&u, &y);
    fe_mul(&v, &u, &FE_D);
    fe_sub(&u, &u, &FE_ONE);       /* u = y^2 - 1 */
    fe_add(&v, &v, &FE_ONE);       /* v = d y^2 + 1 */
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v);          /* v^3 */
    fe_sq(&x, &v3);
    fe_mul(&x, &x, &v);
    fe_mul(&x, &x, &u);            /* u v^7 */
    fe_pow22523(&x, &x);
    fe_mul(&x, &x, &v3);
    fe_mul(&x, &x, &u);            /* x = u v^3 (u v^7)^((p-5)/8) */
    fe_sq(&vxx, &x);
    fe_mul(&vxx, &vxx, &v);
    if (!fe_equal(&vxx, &u)) {
        fe_neg(&chk, &u);
        if (!fe_equal(&vxx, &chk)) return -1; /* not a square: not on the curve */
        fe_mul(&x, &x, &FE_SQRTM1);
    }
    int sign = s[31] >> 7;
    uint8_t xs[32];
    fe_tobytes(xs, &x);
    int xzero = 1;
    for (int i = 0; i < 32; i++) if (xs[i]) { xzero = 0; break; }
    if (xzero && sign) return -1;  /* non-canonical: x = 0 with the sign bit set */
    if ((xs[0] & 1) != sign) fe_neg(&x, &x);
    p->X = x; p->Y = y; p->Z = FE_ONE;
    fe_mul(&p->T, &x, &y);
    return 0;
}

static void ge_tobytes(uint8_t s[32], const ge *p) {
    fe zi, x, y;
    fe_invert(&zi, &p->Z);
    fe_mul(&x, &p->X, &zi);
    fe_mul(&y, &p->Y, &zi);
    fe_tobytes(s, &y);
    s[31] ^= (uint8_t)(fe_isneg(&x) << 7);
}

static void ge_to_cached(ge_cached *c, const ge *p) {
    fe_add(&c->YpX, &p->Y, &p->X);
    fe_sub(&c->YmX, &p->Y, &p->X);
    fe_add(&c->Z2, &p->Z, &p->Z);
    fe_mul(&c->T2d, &p->T, &FE_D2);
}

/* r = p + q (q cached); sub: r = p - q */
static void ge_addsub(ge *r, const ge *p, const ge_cached *q, int sub) {
    fe a, b, c, d, e, f, g, h, t;
    fe_sub(&t, &p->Y, &p->X);
    fe_mul(&a, &t, sub ? &q->YpX : &q->YmX);
    fe_add(&t, &p->Y, &p->X);
    fe_mul(&b, &t, sub ? &q->YmX : &q->YpX);
    fe_mul(&c, &p->T, &q->T2d);
    fe_mul(&d, &p->Z, &q->Z2);
    fe_sub(&e, &b, &a);
    if (sub) { fe_add(&f, &d, &c); fe_sub(&g, &d, &c); }
    else     { fe_sub(&f, &d, &c); fe_add(&g, &d, &c); }
    fe_add(&h, &b, &a);
    fe_mul(&r->X, &e, &f);
    fe_mul(&r->Y, &g, &h);
    fe_mul(&r->T, &e, &h);
    fe_mul(&r->Z, &f, &g);
}

static void ge_dbl(ge *r, const ge *p) {
    fe a, b, c, e, g, f, h, t;
    fe_sq(&a, &p->X);
    fe_sq(&b, &p->Y);
    fe_sq(&c, &p->Z);
    fe_add(&c, &c, &c);            /* C = 2 Z^2 */
    fe_add(&t, &p->X, &p->Y);
    fe_sq(&e, &t);
    fe_sub(&e, &e, &a);
    fe_sub(&e, &e, &b);            /* E = (X+Y)^2 - A - B */
    fe_sub(&g, &b, &a);            /* G = D + B with D = aA = -A */
    fe_sub(&f, &g, &c);            /* F = G - C */
    fe_add(&t, &a, &b);
    fe_neg(&h, &t);                /* H = D - B = -A - B */
    fe_mul(&r->X, &e, &f);
    fe_mul(&r->Y, &g, &h);
    fe_mul(&r->T, &e, &h);
    fe_mul(&r->Z, &f, &g);
}

/* Signed sliding window recoding: odd digits in [-15, 15], at most one nonzero per 5 bits. */
static void slide(int8_t r[256], const uint8_t a[32]) {
    for (int i = 0; i < 256; i++) r[i] = (int8_t)(1 & (a[i >> 3] >> (i & 7)));
    for (int i = 0; i < 256; i++) {
        if (!r[i]) continue;
        for (int b = 1; b <= 6 && i + b < 256; b++) {
            if (!r[i + b]) continue;
            if (r[i] + (r[i + b] << b) <= 15) {
                r[i] = (int8_t)(r[i] + (r[i + b] << b));
                r[i + b] = 0;
            } else if (r[i] - (r[i + b] << b) >= -15) {
                r[i] = (int8_t)(r[i] - (r[i + b] << b));
                for (int k = i + b; k < 256; k++) {
                    if (!r[k]) { r[k] = 1; break; }
                    r[k] = 0;
                }
            } else {
                break;
            }
        }
    }
}

static void odd_multiples(ge_cached t[8], const ge *p) {
    ge p2, acc;
    ge_dbl(&p2, p);
    ge_cached p2c;
    ge_to_cached(&p2c, &p2);
    acc = *p;
    ge_to_cached(&t[0], &acc);
    for (int i = 1; i < 8; i++) {
        ge_addsub(&acc, &acc, &p2c, 0);
        ge_to_cached(&t[i], &acc);
    }
}

static ge_cached BASE_TABLE[8];
static uint8_t BASE_BYTES[32];

#define MAX_TERMS 8

/* ------------------------------------------------------------------------ many at once */

#define MAX_POINTS 512
#define MAX_JOBS 512

typedef struct {
    int n;
    int idx[MAX_TERMS];
    uint8_t sc[MAX_TERMS][32];
} job_t;

/* Every job's sum of s_k * points[idx_k], encoded into out[j]. Each distinct point is decoded
 * and tabled once for all the jobs, and the results share one field inversion (Montgomery's
 * trick) instead of one each. Returns 0, 1 if a point is not a canonical curve encoding, 2 if
 * memory ran out. Holds no Python object (runs without the GIL). */
static int msm_many_compute(uint8_t (*out)[32], const uint8_t (*pbytes)[32], int np, const job_t *jobs, int nj) {
    ge_cached (*tables)[8] = PyMem_RawMalloc((size_t)(np ? np : 1) * sizeof(*tables));
    const ge_cached **tab = PyMem_RawMalloc((size_t)(np ? np : 1) * sizeof(*tab));
    ge *res = PyMem_RawMalloc((size_t)nj * sizeof(*res));
    fe *acc = PyMem_RawMalloc((size_t)nj * sizeof(*acc));
    int rc = 0;
    if (!tables || !tab || !res || !acc) { rc = 2; goto out; }
    for (int i = 0; i < np; i++) {
        if (memcmp(pbytes[i], BASE_BYTES, 32) == 0) {
            tab[i] = BASE_TABLE;
        } else {
            ge p;
            if (ge_frombytes(&p, pbytes[i]) != 0) { rc = 1; goto out; }
            odd_multiples(tables[i], &p);
            tab[i] = tables[i];
        }
    }
    for (int j = 0; j < nj; j++) {
        const job_t *job = &jobs[j];
        int8_t digits[MAX_TERMS][256];
        for (int k = 0; k < job->n; k++) slide(digits[k], job->sc[k]);
        int top = 255;
        while (top >= 0) {
            int any = 0;
            for (int k = 0; k < job->n; k++) if (digits[k][top]) { any = 1; break; }
            if (any) break;
            top--;
        }
        ge r;
        ge_identity(&r);
        for (int b = top; b >= 0; b--) {
            ge_dbl(&r, &r);
            for (int k = 0; k < job->n; k++) {
                int dgt = digits[k][b];
                const ge_cached *t = tab[job->idx[k]];
                if (dgt > 0) ge_addsub(&r, &r, &t[dgt / 2], 0);
                else if (dgt < 0) ge_addsub(&r, &r, &t[(-dgt) / 2], 1);
            }
        }
        res[j] = r;
    }
    /* acc[j] = Z_0 ... Z_j; one inversion of acc[nj-1], then each 1/Z_j walking back. */
    acc[0] = res[0].Z;
    for (int j = 1; j < nj; j++) fe_mul(&acc[j], &acc[j - 1], &res[j].Z);
    fe inv;
    fe_invert(&inv, &acc[nj - 1]);
    for (int j = nj - 1; j >= 0; j--) {
        fe zi, x, y;
        if (j > 0) {
            fe_mul(&zi, &inv, &acc[j - 1]);
            fe_mul(&inv, &inv, &res[j].Z);
        } else {
            zi = inv;
        }
        fe_mul(&x, &res[j].X, &zi);
        fe_mul(&y, &res[j].Y, &zi);
        fe_tobytes(out[j], &y);
        out[j][31] ^= (uint8_t)(fe_isneg(&x) << 7);
    }
out:
    PyMem_RawFree(tables);
    PyMem_RawFree(tab);
    PyMem_RawFree(res);
    PyMem_RawFree(acc);
    return rc;
}

/* ------------------------------------------------------------------------------ Python */

static int get32(PyObject *o, const uint8_t **out, const char *what) {
    if (!PyBytes_Check(o) || PyBytes_GET_SIZE(o) != 32) {
        PyErr_Format(PyExc_ValueError, "%s must be 32 bytes", what);
        return -1;
    }
    *out = (const uint8_t *)PyBytes_AS_STRING(o);
    return 0;
}

/* msm(points, scalars) -> bytes: prod_i points[i]^scalars[i] (in additive terms sum s_i P_i).
 * points: sequence of 32-byte encodings (already validated); scalars: 32-byte little-endian. */
static PyObject *py_msm(PyObject *self, PyObject *args) {
    PyObject *pts, *scs;
    if (!PyArg_ParseTuple(args, "OO", &pts, &scs)) return NULL;
    PyObject *pf = PySequence_Fast(pts, "points must be a sequence");
    if (!pf) return NULL;
    PyObject *sf = PySequence_Fast(scs, "scalars must be a sequence");
    if (!sf) { Py_DECREF(pf); return NULL; }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(pf);
    PyObject *result = NULL;
    if (n != PySequence_Fast_GET_SIZE(sf) || n < 1 || n > MAX_TERMS) {
        PyErr_SetString(PyExc_ValueError, "msm takes 1 to 8 points and as many scalars");
        goto done;
    }
    uint8_t pbytes[MAX_TERMS][32];
    job_t job;  /* one job over all the points: msm_many_compute's path */
    job.n = (int)n;
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint8_t *pb, *sb;
        if (get32(PySequence_Fast_GET_ITEM(pf, i), &pb, "a point") < 0) goto done;
        if (get32(PySequence_Fast_GET_ITEM(sf, i), &sb, "a scalar") < 0) goto done;
        if (sb[31] & 0x80) { PyErr_SetString(PyExc_ValueError, "scalar above 2^255"); goto done; }
        memcpy(pbytes[i], pb, 32);
        memcpy(job.sc[i], sb, 32);
        job.idx[i] = (int)i;
    }
    uint8_t out[1][32];
    int rc;
    /* The arithmetic holds no Python object: other threads of the server run meanwhile. */
    Py_BEGIN_ALLOW_THREADS
    rc = msm_many_compute(out, (const uint8_t (*)[32])pbytes, (int)n, &job, 1);
    Py_END_ALLOW_THREADS
    if (rc == 1) { PyErr_SetString(PyExc_ValueError, "not a canonical encoding of a curve point"); goto done; }
    if (rc == 2) { PyErr_NoMemory(); goto done; }
    result = PyBytes_FromStringAndSize((const char *)out[0], 32);
done:
    Py_DECREF(pf);
    Py_DECREF(sf);
    return result;
}

/* msm_many(points, jobs) -> list[bytes]: for each job (indices, scalars), the sum of
 * scalars[k] * points[indices[k]]. points: 32-byte encodings (already validated), each decoded
 * once; scalars: 32-byte little-endian. */
static PyObject *py_msm_many(PyObject *self, PyObject *args) {
    PyObject *pts, *jbs;
    if (!PyArg_ParseTuple(args, "OO", &pts, &jbs)) return NULL;
    PyObject *pf = PySequence_Fast(pts, "points must be a sequence");
    if (!pf) return NULL;
    PyObject *jf = PySequence_Fast(jbs, "jobs must be a sequence");
    if (!jf) { Py_DECREF(pf); return NULL; }
    Py_ssize_t np = PySequence_Fast_GET_SIZE(pf), nj = PySequence_Fast_GET_SIZE(jf);
    PyObject *result = NULL;
    uint8_t (*pbytes)[32] = NULL, (*out)[32] = NULL;
    job_t *jobs = NULL;
    if (np > MAX_POINTS || nj < 1 || nj > MAX_JOBS) {
        PyErr_SetString(PyExc_ValueError, "msm_many takes at most 512 points and 1 to 512 jobs");
        goto done;
    }
    pbytes = PyMem_Malloc((size_t)(np ? np : 1) * 32);
    out = PyMem_Malloc((size_t)nj * 32);
    jobs = PyMem_Malloc((size_t)nj * sizeof(job_t));
    if (!pbytes || !out || !jobs) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < np; i++) {
        const uint8_t *pb;
        if (get32(PySequence_Fast_GET_ITEM(pf, i), &pb, "a point") < 0) goto done;
        memcpy(pbytes[i], pb, 32);
    }
    for (Py_ssize_t j = 0; j < nj; j++) {
        PyObject *job = PySequence_Fast_GET_ITEM(jf, j);
        PyObject *ix = NULL, *sx = NULL;
        if (!PyTuple_Check(job) || PyTuple_GET_SIZE(job) != 2) {
            PyErr_SetString(PyExc_ValueError, "a job is a pair (indices, scalars)");
            goto done;
        }
        ix = PySequence_Fast(PyTuple_GET_ITEM(job, 0), "indices must be a sequence");
        if (!ix) goto done;
        sx = PySequence_Fast(PyTuple_GET_ITEM(job, 1), "scalars must be a sequence");
        if (!sx) { Py_DECREF(ix); goto done; }
        Py_ssize_t n = PySequence_Fast_GET_SIZE(ix);
        int bad = n < 1 || n > MAX_TERMS || n != PySequence_Fast_GET_SIZE(sx);
        if (bad) PyErr_SetString(PyExc_ValueError, "a job takes 1 to 8 terms, as many indices as scalars");
        for (Py_ssize_t k = 0; !bad && k < n; k++) {
            long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(ix, k));
            const uint8_t *sb;
            if (v == -1 && PyErr_Occurred()) { bad = 1; break; }
            if (v < 0 || v >= np) { PyErr_SetString(PyExc_ValueError, "point index out of range"); bad = 1; break; }
            if (get32(PySequence_Fast_GET_ITEM(sx, k), &sb, "a scalar") < 0) { bad = 1; break; }
            if (sb[31] & 0x80) { PyErr_SetString(PyExc_ValueError, "scalar above 2^255"); bad = 1; break; }
            jobs[j].idx[k] = (int)v;
            memcpy(jobs[j].sc[k], sb, 32);
        }
        jobs[j].n = (int)n;
        Py_DECREF(ix);
        Py_DECREF(sx);
        if (bad) goto done;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = msm_many_compute(out, (const uint8_t (*)[32])pbytes, (int)np, jobs, (int)nj);
    Py_END_ALLOW_THREADS
    if (rc == 1) { PyErr_SetString(PyExc_ValueError, "not a canonical encoding of a curve point"); goto done; }
    if (rc == 2) { PyErr_NoMemory(); goto done; }
    result = PyList_New(nj);
    if (!result) goto done;
    for (Py_ssize_t j = 0; j < nj; j++) {
        PyObject *b = PyBytes_FromStringAndSize((const char *)out[j], 32);
        if (!b) { Py_CLEAR(result); goto done; }
        PyList_SET_ITEM(result, j, b);
    }
done:
    PyMem_Free(pbytes);
    PyMem_Free(out);
    PyMem_Free(jobs);
    Py_DECREF(pf);
    Py_DECREF(jf);
    return result;
}

/* add(points) -> bytes: the sum of several points, decoded once and encoded once. */
static PyObject *py_sum(PyObject *self, PyObject *args) {
    PyObject *pts;
    if (!PyArg_ParseTuple(args, "O", &pts)) return NULL;
    PyObject *pf = PySequence_Fast(pts, "points must be a sequence");
    if (!pf) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(pf);
    ge r, p;
    ge_identity(&r);
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint8_t *pb;
        if (get32(PySequence_Fast_GET_ITEM(pf, i), &pb, "a point") < 0) { Py_DECREF(pf); return NULL; }
        if (ge_frombytes(&p, pb) != 0) {
            Py_DECREF(pf);
            PyErr_SetString(PyExc_ValueError, "not a canonical encoding of a curve point");
            return NULL;
        }
        ge_cached c;
        ge_to_cached(&c, &p);
        ge_addsub(&r, &r, &c, 0);
    }
    Py_DECREF(pf);
    uint8_t out[32];
    ge_tobytes(out, &r);
    return PyBytes_FromStringAndSize((const char *)out, 32);
}

static PyMethodDef methods[] = {
    {"msm", py_msm, METH_VARARGS, "msm(points, scalars) -> bytes: sum of s_i * P_i (public data only)"},
    {"msm_many", py_msm_many, METH_VARARGS,
     "msm_many(points, jobs) -> list[bytes]: for each (indices, scalars), sum of s_k * points[i_k]"},
    {"sum", py_sum, METH_VARARGS, "sum(points) -> bytes: the sum of the points"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "_ed25519", NULL, -1, methods};

static const uint8_t D_BYTES[32] = {
    0xa3,0x78,0x59,0x13,0xca,0x4d,0xeb,0x75,0xab,0xd8,0x41,0x41,0x4d,0x0a,0x70,0x00,
    0x98,0xe8,0x79,0x77,0x79,0x40,0xc7,0x8c,0x73,0xfe,0x6f,0x2b,0xee,0x6c,0x03,0x52};
static const uint8_t D2_BYTES[32] = {
    0x59,0xf1,0xb2,0x26,0x94,0x9b,0xd6,0xeb,0x56,0xb1,0x83,0x82,0x9a,0x14,0xe0,0x00,
    0x30,0xd1,0xf3,0xee,0xf2,0x80,0x8e,0x19,0xe7,0xfc,0xdf,0x56,0xdc,0xd9,0x06,0x24};
static const uint8_t SQRTM1_BYTES[32] = {
    0xb0,0xa0,0x0e,0x4a,0x27,0x1b,0xee,0xc4,0x78,0xe4,0x2f,0xad,0x06,0x18,0x43,0x2f,
    0xa7,0xd7,0xfb,0x3d,0x99,0x00,0x4d,0x2b,0x0b,0xdf,0xc1,0x4f,0x80,0x24,0x83,0x2b};

PyMODINIT_FUNC PyInit__ed25519(void) {
    uint8_t one[32] = {1}, zero[32] = {0};
    fe_frombytes(&FE_ONE, one);
    fe_frombytes(&FE_ZERO, zero);
    fe_frombytes(&FE_D, D_BYTES);
    fe_frombytes(&FE_D2, D2_BYTES);
    fe_frombytes(&FE_SQRTM1, SQRTM1_BYTES);
    BASE_BYTES[0] = 0x58;
    for (int i = 1; i < 32; i++) BASE_BYTES[i] = 0x66;
    ge base;
    if (ge_frombytes(&base, BASE_BYTES) != 0) {
        PyErr_SetString(PyExc_ImportError, "_ed25519: self-test failed (base point)");
        return NULL;
    }
    odd_multiples(BASE_TABLE, &base);
    return PyModule_Create(&moduledef);
}
