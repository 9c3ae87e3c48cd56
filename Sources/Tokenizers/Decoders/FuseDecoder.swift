/// Concatenates all pieces into one (HF `decoders.Fuse`).
struct FuseDecoder: Decoder {
    func decode(_ pieces: [String]) -> [String] { [pieces.joined()] }
}
