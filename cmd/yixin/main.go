// Command yixin is the command-line face of the yixin EMV library: it
// decodes TLV data, computes and checks EMV cryptography, verifies a card's
// offline data authentication, personalises and serves simulated cards, and
// runs terminal transactions.
//
// Usage:
//
//	yixin <command> [arguments]
//
// Run "yixin help" for the list of commands. Errors go to standard error,
// on one line beginning "yixin: ".
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// env is what a command may touch: its arguments and streams. Commands
// never use os.Stdout or os.Exit directly, so tests run them in-process.
type env struct {
	ctx    context.Context
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one entry of the command table.
type command struct {
	name    string
	summary string
	run     func(e *env) int
}

// Exit statuses shared by all commands.
const (
	exitOK      = 0
	exitFailure = 1 // the input was read but is wrong, or a check failed
	exitUsage   = 2 // bad arguments
)

// commands is the table of subcommands. Each lives in its own file.
func commands() []command {
	return []command{
		{"tlv", "decode BER-TLV data and name its tags and bits", runTLV},
		{"crypto", "EMV key derivation, cryptograms, ARPC and PIN blocks", runCrypto},
		{"oda", "verify a card image's offline data authentication", runODA},
		{"pay", "run one EMV transaction with the terminal kernel", runPay},
		{"demo", "two purchases with the dual-application card, traced", runDemo},
		{"card", "personalise, serve and read cards", runCard},
		{"certify", "run certification test cases against the kernel", runCertify},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(&env{ctx: ctx, args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the exit status.
func run(e *env) int {
	if len(e.args) == 0 || e.args[0] == "help" || e.args[0] == "-h" || e.args[0] == "--help" {
		usage(e.stdout)
		if len(e.args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == e.args[0] {
			sub := *e
			sub.args = e.args[1:]
			return c.run(&sub)
		}
	}
	fail(e, "unknown command %q (run \"yixin help\")", e.args[0])
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: yixin <command> [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}

// fail writes one line "yixin: ..." to standard error.
func fail(e *env, format string, args ...any) {
	fmt.Fprintf(e.stderr, "yixin: "+format+"\n", args...)
}

// pickSub is the front of a command with subcommands (yixin card, crypto,
// oda): it answers help, reports a missing or unknown subcommand with the
// group's usage, and otherwise returns the index of the subcommand in
// names. done is false when the subcommand should run; code is then
// meaningless.
func pickSub(e *env, group, usage string, names ...string) (i int, code int, done bool) {
	if len(e.args) == 0 {
		fail(e, "%s: missing subcommand", group)
		io.WriteString(e.stderr, usage)
		return 0, exitUsage, true
	}
	switch e.args[0] {
	case "help", "-h", "-help", "--help":
		io.WriteString(e.stdout, usage)
		return 0, exitOK, true
	}
	for i, n := range names {
		if n == e.args[0] {
			return i, 0, false
		}
	}
	fail(e, "%s: unknown subcommand %q", group, e.args[0])
	io.WriteString(e.stderr, usage)
	return 0, exitUsage, true
}
