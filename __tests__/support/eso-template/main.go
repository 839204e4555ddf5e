// eso-template executes a template the way external-secrets (engine v2) does:
// Go text/template, Option("missingkey=error"), sprig's functions without env
// and expandenv (ESO runtime/template/v2/template.go `execute`; ESO vendors
// sprig v3.3 and drops those two, plus getHostByName, which v3.2 lacks), on a
// map of the fetched keys as strings.
// Reads one JSON object from stdin: {"template": "...", "data": {"key": "value"}}.
// Prints {"value": "..."} or {"error": "..."}.
// Built by __tests__/support/eso-template.ts in GOPATH mode from Debian's
// golang-github-masterminds-sprig-dev sources (no network).
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"text/template"

	"github.com/Masterminds/sprig"
)

type input struct {
	Template string            `json:"template"`
	Data     map[string]string `json:"data"`
}

type output struct {
	Value *string `json:"value,omitempty"`
	Error string  `json:"error,omitempty"`
}

func main() {
	var in input
	out := json.NewEncoder(os.Stdout)
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		out.Encode(output{Error: "bad input: " + err.Error()})
		os.Exit(2)
	}
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	t, err := template.New("k").Option("missingkey=error").Funcs(funcs).Parse(in.Template)
	if err != nil {
		out.Encode(output{Error: err.Error()})
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, in.Data); err != nil {
		out.Encode(output{Error: err.Error()})
		return
	}
	value := buf.String()
	out.Encode(output{Value: &value})
}
