// Placeholder: the store lands with the store issue.
import GRDB
public enum CodingStoreModule {}
