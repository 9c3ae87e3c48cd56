// Placeholder: the tokenizer pipeline lands with the engine issue.
public enum TokenizersModule {}
