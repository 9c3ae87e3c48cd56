// Placeholder: the LLaMA engine lands with the engine issue.
import COpenBLAS
public enum LlamaInferenceModule {}
