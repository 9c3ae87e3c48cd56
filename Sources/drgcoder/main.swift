import DRGCoderCLI

DRGCoder.runCommandLine()
