module deferissues

// The `go` line, not the toolchain, decides the loop-variable rule: up to
// 1.21 a `for` loop has one variable for all its iterations, from 1.22 one
// per iteration. 1.19 is Debian 12's Go (golang-go), which `make setup`
// installs.
go 1.19
