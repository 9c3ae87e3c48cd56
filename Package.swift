// swift-tools-version:6.0
// drgcoder: a keyboard-first terminal tool for assigning MS-DRGs with an on-device DRG-LLaMA.
// The target graph below is the architecture; see ../shared/DESIGN.md and README.md.
import PackageDescription

let package = Package(
    name: "drgcoder",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "drgcoder", targets: ["drgcoder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),   // postgres-nio's TLS settings
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),       // postgres-nio's logger (silenced)
    ],
    targets: [
        // System libraries, found through pkg-config (scripts/setup.sh installs them).
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // f16/bf16 -> f32 widening loops with F16C/AVX2, chosen at run time (our own C; the engine's only).
        .target(name: "CHalfPrecision"),
        // Matrix products from bf16 / f16 / 8-bit weights with AVX-512 (vdpbf16ps, vcvtph2ps + FMA,
        // vpdpbusd), chosen at run time from the CPU's features (our own C, after tinyBLAS's design).
        .target(name: "CWeightKernels", dependencies: ["CHalfPrecision"]),
        // f32 and bf16 linear layers through oneDNN's matmul (Debian's libdnnl-dev; OpenMP threads).
        .target(name: "COneDNNMatmul", linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("gomp")]),

        // MS-DRG knowledge: tables, label spaces, dissection, logits -> DRGs, money, metrics.
        .target(name: "DRGKit", dependencies: ["CZlib"], resources: [.copy("Resources")]),
        // tokenizer.json pipelines (SentencePiece-style BPE, byte-level BPE) with offsets.
        .target(name: "Tokenizers"),
        // safetensors, the LLaMA forward pass on one BLAS seam, LoRA, the classifier.
        .target(name: "LlamaInference", dependencies: [
            "COpenBLAS", "CHalfPrecision", "CWeightKernels", "COneDNNMatmul", "Tokenizers",
        ]),
        // DRG inference above a plain LLaMA engine: the DRG-LLaMA classifier (text → ranked DRGs), its
        // evidence spans, label-space targets; and the CAML early-DRG model (JHLiu7/EarlyDRGPrediction).
        .target(name: "DRGInference", dependencies: [
            "LlamaInference", "Tokenizers", "DRGKit",
            .product(name: "Crypto", package: "swift-crypto"),  // SHA-256 of weights for ModelIdentity
        ]),
        // The GRDB database: cases, predictions, the hash-chained decision log, import/export.
        .target(name: "CodingStore", dependencies: [
            "DRGKit",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.copy("Resources")]),
        // The same store on a PostgreSQL server (team mode): postgres-nio's pool, the same rules and chain.
        .target(name: "PostgresStore", dependencies: [
            "CodingStore", "DRGKit",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Terminal protocol, cell buffer, ncurses backend, embedded terminal, widgets, themes, keys.
        .target(name: "TerminalUI", dependencies: [
            "CNcurses",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // The coder's, auditor's and trainer's screens: pure State / Update / Render over ports; the
        // adapters to the store and the engine are DRGCoderCLI's (Wiring/), so this needs neither.
        .target(name: "ReviewApp", dependencies: ["TerminalUI", "DRGKit"]),
        // The command tree (swift-argument-parser), one file per command; a library so tests can run it.
        .target(name: "DRGCoderCLI", dependencies: [
            "DRGKit", "Tokenizers", "LlamaInference", "DRGInference", "CodingStore", "PostgresStore", "TerminalUI", "ReviewApp",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "TOMLKit", package: "TOMLKit"),   // the review config file
        ]),
        .executableTarget(name: "drgcoder", dependencies: ["DRGCoderCLI"]),
        // Test helper: the child process of CodingStore's crash and concurrency tests (not a product).
        .executableTarget(name: "store-stress", dependencies: ["CodingStore"]),
        // Test helper: the child process of the end-to-end crash test (draws a frame, then crashes; not a product).
        .executableTarget(name: "review-crash", dependencies: ["DRGCoderCLI", "ReviewApp", "CodingStore", "DRGKit", "TerminalUI"]),
        // The evidence measurements of docs/EVIDENCE.md (bench/evidence_eval.sh); not shipped.
        // The team-mode load test (bench/team_load.sh): simulated coders and scoring workers on one store; not shipped.
        .executableTarget(name: "team-load", dependencies: ["CodingStore", "PostgresStore", "DRGKit"], path: "bench/team_load"),
        .executableTarget(name: "evidence-eval", dependencies: ["DRGInference", "LlamaInference", "Tokenizers", "DRGKit"],
                          path: "bench/evidence_eval"),

        // What the test targets share: fixtures, seeded randomness, bounded waits, process runs, fakes.
        .target(name: "TestSupport", dependencies: ["DRGKit"], path: "Tests/TestSupport"),
        .testTarget(name: "DRGKitTests", dependencies: ["DRGKit", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LlamaInferenceTests", dependencies: ["LlamaInference", "TestSupport"], resources: [.copy("Fixtures")]),
        // Its own fixtures (CAML); the engine's model fixtures (Tests/LlamaInferenceTests/Fixtures) by path.
        .testTarget(name: "DRGInferenceTests", dependencies: ["DRGInference", "LlamaInference", "DRGKit", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CodingStoreTests", dependencies: ["CodingStore", "TestSupport"], resources: [.copy("Fixtures")]),
        // The store suite run against every backend: SQLite in memory, on file, and PostgreSQL when a server is there.
        .testTarget(name: "PostgresStoreTests", dependencies: [
            "PostgresStore", "CodingStore", "DRGKit", "TestSupport", "DRGCoderCLI", "ReviewApp", "TerminalUI",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "ReviewAppTests", dependencies: ["ReviewApp", "TestSupport"], exclude: ["Frames"]),
        .testTarget(name: "DRGCoderCLITests", dependencies: [
            "DRGCoderCLI", "CodingStore", "DRGKit", "ReviewApp", "TerminalUI", "LlamaInference", "DRGInference", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["Help"]),
    ]
)
