package kernel

// CVROfflinePIN exposes cvrOfflinePIN to the tests.
var CVROfflinePIN = cvrOfflinePIN
