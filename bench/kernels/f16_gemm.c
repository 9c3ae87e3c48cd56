// Standalone harness for the f16 kernel (issue 17): the shipped `cwk_gemm_f16` (Sources/CWeightKernels)
// against the previous dot-product tile kernel, GFLOP per CPU-second and per wall second, 1 and 2 threads.
// Usage (from the repository root): cc -O3 -march=native -ISources/CWeightKernels/include -ISources/CHalfPrecision/include bench/kernels/f16_gemm.c Sources/CWeightKernels/CWeightKernels.c Sources/CHalfPrecision/*.c -lm -lpthread -o /tmp/f16_gemm && /tmp/f16_gemm [repeats shapes(1-3) threads(1-2) newOnly(0/1)]
#include "CWeightKernels.h"

#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// ---- The kernel before (dot products, tiles of 8 tokens × 3 rows, tokens in blocks of 64).
__attribute__((target("avx512f,avx512bw,avx512vl,fma,f16c"), always_inline)) static inline void
oldTile(const float *x, const uint16_t *w, size_t k, float *y, size_t ldy, const int RM, const int RN) {
    __m512 acc[8][3];
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) acc[i][j] = _mm512_setzero_ps();
    size_t c = 0;
    for (; c + 16 <= k; c += 16) {
        __m512 wv[3];
        for (int j = 0; j < RN; j++) wv[j] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w + j * k + c)));
        for (int i = 0; i < RM; i++) {
            __m512 xv = _mm512_loadu_ps(x + i * k + c);
            for (int j = 0; j < RN; j++) acc[i][j] = _mm512_fmadd_ps(xv, wv[j], acc[i][j]);
        }
    }
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) y[i * ldy + j] = _mm512_reduce_add_ps(acc[i][j]);
}
static void old8x3(const float *x, const uint16_t *w, size_t k, float *y, size_t ldy) { oldTile(x, w, k, y, ldy, 8, 3); }
static void old8x1(const float *x, const uint16_t *w, size_t k, float *y, size_t ldy) { oldTile(x, w, k, y, ldy, 8, 1); }

// Only the shapes measured here (tokens % 8 == 0, k % 16 == 0).
static void oldGemm(const float *x, size_t tokens, size_t k, const uint16_t *w, size_t r0, size_t r1, float *y, size_t ldy) {
    for (size_t t0 = 0; t0 < tokens; t0 += 64)
        for (size_t r = r0; r < r1; r += r + 3 <= r1 ? 3 : 1)
            for (size_t t = t0; t < t0 + 64 && t < tokens; t += 8)
                (r + 3 <= r1 ? old8x3 : old8x1)(x + t * k, w + r * k, k, y + t * ldy + r, ldy);
}

typedef void (*Gemm)(const float *, size_t, size_t, const uint16_t *, size_t, size_t, float *, size_t);
typedef struct { Gemm gemm; const float *x; size_t tokens, k; const uint16_t *w; size_t r0, r1; float *y; size_t ldy; } Job;
static void *runJob(void *p) { Job *j = p; j->gemm(j->x, j->tokens, j->k, j->w, j->r0, j->r1, j->y, j->ldy); return NULL; }

// Rows split like NativeProduct.splitRows: groups of 16, `threads` ways.
static void product(Gemm gemm, int threads, const float *x, size_t tokens, size_t k, const uint16_t *w, size_t rows, float *y) {
    size_t groups = (rows + 15) / 16;
    pthread_t ids[8];
    Job jobs[8];
    for (int i = 0; i < threads; i++) {
        size_t b = groups * i / threads * 16, e = groups * (i + 1) / threads * 16;
        jobs[i] = (Job){ gemm, x, tokens, k, w, b < rows ? b : rows, e < rows ? e : rows, y, rows };
        if (i) pthread_create(&ids[i], NULL, runJob, &jobs[i]);
    }
    runJob(&jobs[0]);
    for (int i = 1; i < threads; i++) pthread_join(ids[i], NULL);
}

static double seconds(clockid_t clock) { struct timespec t; clock_gettime(clock, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char **argv) {
    int repeats = argc > 1 ? atoi(argv[1]) : 3, nShapes = argc > 2 ? atoi(argv[2]) : 3, maxThreads = argc > 3 ? atoi(argv[3]) : 2;
    int from = argc > 4 ? atoi(argv[4]) : 0;  // 1: the new kernel only
    size_t shapes[3][3] = { { 512, 4096, 4096 }, { 512, 4096, 11008 }, { 512, 11008, 4096 } };  // tokens, k, rows
    for (int s = 0; s < nShapes; s++) {
        size_t tokens = shapes[s][0], k = shapes[s][1], rows = shapes[s][2];
        float *x = aligned_alloc(64, tokens * k * 4), *y = aligned_alloc(64, tokens * rows * 4), *yo = aligned_alloc(64, tokens * rows * 4);
        uint16_t *w = aligned_alloc(64, rows * k * 2);
        srand(1);
        for (size_t i = 0; i < tokens * k; i++) x[i] = (float)rand() / RAND_MAX - 0.5f;
        for (size_t i = 0; i < rows * k; i++) w[i] = _cvtss_sh((float)rand() / RAND_MAX - 0.5f, 0);
        for (int threads = 1; threads <= maxThreads; threads++) {
            const char *names[2] = { "before (8x3 dot tiles)", "cwk_gemm_f16" };
            Gemm gemms[2] = { oldGemm, cwk_gemm_f16 };
            for (int g = from; g < 2; g++) {
                double bestCpu = 1e9, bestWall = 1e9;
                for (int r = 0; r < repeats; r++) {
                    double c0 = seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = seconds(CLOCK_MONOTONIC);
                    product(gemms[g], threads, x, tokens, k, w, rows, g ? y : yo);
                    double c1 = seconds(CLOCK_PROCESS_CPUTIME_ID), w1 = seconds(CLOCK_MONOTONIC);
                    if (c1 - c0 < bestCpu) bestCpu = c1 - c0;
                    if (w1 - w0 < bestWall) bestWall = w1 - w0;
                }
                double gflop = 2.0 * tokens * k * rows * 1e-9;
                printf("%zux%zux%zu threads %d %-24s GFLOP/cpu-s %6.1f  GFLOP/wall-s %6.1f\n", tokens, rows, k, threads,
                       names[g], gflop / bestCpu, gflop / bestWall);
            }
            if (from) continue;
            double worst = 0;  // the two kernels agree to f32 summation order (rows the old one covers)
            for (size_t t = 0; t < tokens; t++)
                for (size_t r = 0; r < rows; r++) worst = fmax(worst, fabs(y[t * rows + r] - yo[t * rows + r]));
            printf("  max |new - before| %.3g\n", worst);
        }
        free(x); free(y); free(yo); free(w);
    }
    {
        FILE *f = fopen("/proc/loadavg", "r"); char line[128] = "";
        if (f && fgets(line, sizeof line, f)) printf("load %s", line);
        if (f) fclose(f);
    }
    return 0;
}
