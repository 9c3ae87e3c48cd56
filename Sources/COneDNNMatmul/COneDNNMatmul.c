// See include/COneDNNMatmul.h.
#include "COneDNNMatmul.h"

#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>

void omp_set_num_threads(int);   // libgomp (oneDNN's threading runtime)

static dnnl_engine_t engine;
static dnnl_status_t engineStatus = dnnl_runtime_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

// oneDNN is held to AVX512_CORE_BF16 (`vdpbf16ps`, as on Zen 4): on a CPU with AMX (Sapphire Rapids) it
// would otherwise run bf16 products on AMX tiles, which sum in another order and move the logits
// beyond the bound the engine's bf16 path is checked against (NativePrecisionTests: 7.1e-3 against
// 4.7e-3), and make a model's answers differ between the two CPUs. Same answers everywhere, for
// auditors replaying a decision, is worth more to drgcoder than AMX's speed.
static void createEngine(void) {
    dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx512_core_bf16);  // fails harmlessly if ONEDNN_MAX_CPU_ISA set it
    engineStatus = dnnl_engine_create(&engine, dnnl_cpu, 0);
}

int odm_matmul(int type, const void *x, size_t tokens, size_t k, const void *w, size_t rows, float *y,
               size_t ldy, int threads) {
    pthread_once(&once, createEngine);
    if (engineStatus != dnnl_success) return (int)engineStatus;
    dnnl_data_type_t dt = type == ODM_BF16 ? dnnl_bf16 : dnnl_f32;
    // x (tokens, k) row-major; W stored (rows, k) is the (k, rows) weights with strides (1, k); y (tokens, rows) with ld ldy.
    dnnl_dims_t xDims = {(dnnl_dim_t)tokens, (dnnl_dim_t)k}, xStrides = {(dnnl_dim_t)k, 1};
    dnnl_dims_t wDims = {(dnnl_dim_t)k, (dnnl_dim_t)rows}, wStrides = {1, (dnnl_dim_t)k};
    dnnl_dims_t yDims = {(dnnl_dim_t)tokens, (dnnl_dim_t)rows}, yStrides = {(dnnl_dim_t)ldy, 1};
    dnnl_memory_desc_t xd, wd, yd;
    dnnl_matmul_desc_t md;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_primitive_t primitive = NULL;
    dnnl_memory_t xm = NULL, wm = NULL, ym = NULL;
    dnnl_stream_t stream = NULL;
    dnnl_status_t s;
    if ((s = dnnl_memory_desc_init_by_strides(&xd, 2, xDims, dt, xStrides)) != dnnl_success) return (int)s;
    if ((s = dnnl_memory_desc_init_by_strides(&wd, 2, wDims, dt, wStrides)) != dnnl_success) return (int)s;
    if ((s = dnnl_memory_desc_init_by_strides(&yd, 2, yDims, dnnl_f32, yStrides)) != dnnl_success) return (int)s;
    if ((s = dnnl_matmul_desc_init(&md, &xd, &wd, NULL, &yd)) != dnnl_success) return (int)s;
    omp_set_num_threads(threads > 0 ? threads : 1);
    if ((s = dnnl_primitive_desc_create(&pd, &md, NULL, engine, NULL)) != dnnl_success) goto done;
    if ((s = dnnl_primitive_create(&primitive, pd)) != dnnl_success) goto done;
    if ((s = dnnl_memory_create(&xm, &xd, engine, (void *)x)) != dnnl_success) goto done;
    if ((s = dnnl_memory_create(&wm, &wd, engine, (void *)w)) != dnnl_success) goto done;
    if ((s = dnnl_memory_create(&ym, &yd, engine, y)) != dnnl_success) goto done;
    if ((s = dnnl_stream_create(&stream, engine, dnnl_stream_default_flags)) != dnnl_success) goto done;
    dnnl_exec_arg_t args[3] = {{DNNL_ARG_SRC, xm}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DST, ym}};
    if ((s = dnnl_primitive_execute(primitive, stream, 3, args)) != dnnl_success) goto done;
    s = dnnl_stream_wait(stream);
done:
    if (stream) dnnl_stream_destroy(stream);
    if (ym) dnnl_memory_destroy(ym);
    if (wm) dnnl_memory_destroy(wm);
    if (xm) dnnl_memory_destroy(xm);
    if (primitive) dnnl_primitive_destroy(primitive);
    if (pd) dnnl_primitive_desc_destroy(pd);
    return (int)s;
}
