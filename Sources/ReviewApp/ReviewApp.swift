// Placeholder: the review screens land with the TUI issue.
public enum ReviewAppModule {}
