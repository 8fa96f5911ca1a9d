import DescentCLI

SuiteMain.main()
