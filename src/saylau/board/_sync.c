/*
 * sync_all(files, directories): fdatasync every file and fsync every directory *at once*, from
 * one native thread each, without the GIL, and return when all are done.
 *
 * Why this exists: a ballot box's group commit must make several files durable (the archive, the
 * payloads, the log's data files) before its commit record. Synced one after another they cost
 * one journal commit each; synced concurrently the file system folds them into one. Doing that
 * from a Python thread pool costs two GIL hand-offs per file under a loaded server; here the GIL
 * is released once for the whole group.
 *
 * Written for Saylau; no code was copied from another project.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#define MAX_FDS 64

typedef struct {
    int fd;
    int directory;
    int err;
} job_t;

static void run(job_t *j) {
    int rc = j->directory ? fsync(j->fd) : fdatasync(j->fd);
    j->err = rc == 0 ? 0 : errno;
}

static void *thread_main(void *arg) {
    run((job_t *)arg);
    return NULL;
}

static int collect(PyObject *seq, job_t *jobs, int *n, int directory) {
    PyObject *f = PySequence_Fast(seq, "expected a sequence of file descriptors");
    if (!f) return -1;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(f);
    for (Py_ssize_t i = 0; i < m; i++) {
        if (*n >= MAX_FDS) {
            Py_DECREF(f);
            PyErr_SetString(PyExc_ValueError, "sync_all takes at most 64 file descriptors");
            return -1;
        }
        long fd = PyLong_AsLong(PySequence_Fast_GET_ITEM(f, i));
        if (fd == -1 && PyErr_Occurred()) { Py_DECREF(f); return -1; }
        if (fd < 0 || fd > 0x7fffffff) { Py_DECREF(f); PyErr_SetString(PyExc_ValueError, "bad file descriptor"); return -1; }
        jobs[*n].fd = (int)fd;
        jobs[*n].directory = directory;
        jobs[*n].err = 0;
        (*n)++;
    }
    Py_DECREF(f);
    return 0;
}

static PyObject *py_sync_all(PyObject *self, PyObject *args) {
    PyObject *files, *dirs;
    if (!PyArg_ParseTuple(args, "OO", &files, &dirs)) return NULL;
    job_t jobs[MAX_FDS];
    int n = 0;
    if (collect(files, jobs, &n, 0) < 0 || collect(dirs, jobs, &n, 1) < 0) return NULL;
    pthread_t threads[MAX_FDS];
    int started[MAX_FDS] = {0};
    Py_BEGIN_ALLOW_THREADS
    for (int i = 1; i < n; i++)
        started[i] = pthread_create(&threads[i], NULL, thread_main, &jobs[i]) == 0;
    for (int i = 0; i < n; i++)
        if (i == 0 || !started[i]) run(&jobs[i]);  /* the first here; any thread that failed to start too */
    for (int i = 1; i < n; i++)
        if (started[i]) pthread_join(threads[i], NULL);
    Py_END_ALLOW_THREADS
    for (int i = 0; i < n; i++) {
        if (jobs[i].err) {
            errno = jobs[i].err;
            return PyErr_SetFromErrno(PyExc_OSError);
        }
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"sync_all", py_sync_all, METH_VARARGS,
     "sync_all(files, directories): fdatasync the files and fsync the directories at once, without the GIL"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "_sync", NULL, -1, methods};

PyMODINIT_FUNC PyInit__sync(void) { return PyModule_Create(&moduledef); }
