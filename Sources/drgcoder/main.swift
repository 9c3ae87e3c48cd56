import DRGCoderCLI

DRGCoder.main()
