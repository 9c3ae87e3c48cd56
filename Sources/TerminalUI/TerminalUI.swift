// Placeholder: the terminal layer lands with the TUI issue.
import CNcurses
public enum TerminalUIModule {}
