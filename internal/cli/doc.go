// Package cli is the sgharden command line: cobra commands, one file per
// command, that bind flags into options, call the library packages, and map
// errors to the exit statuses of the contract (exit.go). It holds no
// business logic, and it is the only package that prints or exits.
package cli
