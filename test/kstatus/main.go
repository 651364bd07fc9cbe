// kstatus-compute: reads a JSON array of Kubernetes objects on stdin and prints, for each, what
// the kstatus library (sigs.k8s.io/cli-utils/pkg/kstatus/status, the code Flux's health checks
// and `kpt live status` run) computes: a JSON array of {"status", "message"} in the same order.
// The integration tests feed it objects read from the real API server, so the mapping of our
// conditions to kstatus is checked by the library itself, not by our reading of its rules.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

func main() {
	var objects []map[string]interface{}
	dec := json.NewDecoder(os.Stdin)
	// Numbers stay json.Number so that generation/observedGeneration read as int64, as from the API.
	dec.UseNumber()
	if err := dec.Decode(&objects); err != nil {
		fail("reading a JSON array of objects on stdin: %v", err)
	}
	out := make([]result, 0, len(objects))
	for i, obj := range objects {
		res, err := status.Compute(&unstructured.Unstructured{Object: normalize(obj).(map[string]interface{})})
		if err != nil {
			fail("object %d: %v", i, err)
		}
		out = append(out, result{Status: string(res.Status), Message: res.Message})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("writing the result: %v", err)
	}
}

// normalize turns json.Number into int64 (or float64), the types unstructured's Nested* helpers
// expect from a decoded API object.
func normalize(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, e := range t {
			t[k] = normalize(e)
		}
		return t
	case []interface{}:
		for i, e := range t {
			t[i] = normalize(e)
		}
		return t
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	default:
		return v
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "kstatus-compute: "+format+"\n", args...)
	os.Exit(1)
}
