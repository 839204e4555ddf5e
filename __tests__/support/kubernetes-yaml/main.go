// yaml2json reads YAML files the way kubectl, the API server and Argo CD do:
// sigs.k8s.io/yaml (go-yaml v2 underneath, YAML 1.1 rules), converted to JSON.
// For each file named on the command line it prints one JSON line:
//   {"file": ..., "json": <what YAMLToJSON gives> | null, "error": "...", "strictError": "..."}
// strictError is YAMLToJSONStrict's complaint (duplicate keys), if any.
// Built by __tests__/support/kubernetes-yaml.ts in GOPATH mode from Debian's
// golang-k8s-sigs-yaml-dev and golang-gopkg-yaml.v2-dev sources (no network).
package main

import (
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"

	"sigs.k8s.io/yaml"
)

type result struct {
	File        string          `json:"file"`
	JSON        json.RawMessage `json:"json"`
	Error       string          `json:"error,omitempty"`
	StrictError string          `json:"strictError,omitempty"`
}

func main() {
	out := json.NewEncoder(os.Stdout)
	for _, file := range os.Args[1:] {
		r := result{File: file, JSON: json.RawMessage("null")}
		data, err := ioutil.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if j, err := yaml.YAMLToJSON(data); err != nil {
			r.Error = err.Error()
		} else {
			r.JSON = j
		}
		if _, err := yaml.YAMLToJSONStrict(data); err != nil {
			r.StrictError = err.Error()
		}
		if err := out.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
