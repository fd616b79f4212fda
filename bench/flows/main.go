// Command flows writes the deterministic VPC flow-log benchmark of
// internal/flowlog/flowgen: an AWS CLI JSON snapshot of a few hundred
// interfaces and their groups, and flow-log records whose traffic fits
// those groups (see the flowgen package for the mix), as one file (plain
// or gzip) or as a delivery of many gzip objects laid out as AWS writes
// them to S3.
//
// Usage:
//
//	go run ./bench/flows -records 10000000 -interfaces 300 -seed 1 -snapshot inv.json -o flows.log [-gzip]
//	go run ./bench/flows -records 10000000 -objects 64 -o delivery/   # AWSLogs/…/*.log.gz
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/gzip"

	"github.com/sgharden/sgharden/internal/flowlog/flowgen"
)

func main() {
	c := flowgen.Config{}
	flag.IntVar(&c.Records, "records", 10_000_000, "number of records")
	flag.IntVar(&c.Interfaces, "interfaces", 300, "number of network interfaces")
	flag.Uint64Var(&c.Seed, "seed", 1, "random seed")
	snap := flag.String("snapshot", "", "write the inventory snapshot here")
	out := flag.String("o", "", "flow-log output file, or folder with -objects (default: standard output)")
	gz := flag.Bool("gzip", false, "gzip the flow-log output")
	objects := flag.Int("objects", 0, "write a delivery of this many gzip objects under the folder -o")
	flag.Parse()
	if err := run(c, *snap, *out, *gz, *objects); err != nil {
		fmt.Fprintf(os.Stderr, "flows: error: %v\n", err)
		os.Exit(1)
	}
}

func run(c flowgen.Config, snap, out string, gz bool, objects int) error {
	if snap != "" {
		if err := writeFile(snap, false, func(w io.Writer) error { return flowgen.WriteSnapshot(w, c.Interfaces) }); err != nil {
			return err
		}
	}
	if objects > 0 {
		if out == "" {
			return fmt.Errorf("-objects needs a folder in -o")
		}
		return writeDelivery(c, out, objects)
	}
	if out == "" {
		if gz {
			return gzipTo(os.Stdout, func(w io.Writer) error { return flowgen.WriteRecords(w, c) })
		}
		return flowgen.WriteRecords(os.Stdout, c)
	}
	return writeFile(out, gz, func(w io.Writer) error { return flowgen.WriteRecords(w, c) })
}

// writeDelivery writes the records as n gzip objects of about equal size,
// named and laid out as AWS delivers them to S3.
func writeDelivery(c flowgen.Config, dir string, n int) error {
	g, err := flowgen.NewGenerator(c)
	if err != nil {
		return err
	}
	day := filepath.Join(dir, "AWSLogs", flowgen.Account, "vpcflowlogs", flowgen.Region, "2026", "03", "02")
	if err := os.MkdirAll(day, 0o755); err != nil {
		return err
	}
	for i := range n {
		count := c.Records/n + btoi(i < c.Records%n)
		name := fmt.Sprintf("%s_vpcflowlogs_%s_fl-0000000000bench0_20260302T%02d%02dZ_%08x.log.gz", flowgen.Account, flowgen.Region, i/60%24, i%60, i)
		if err := writeFile(filepath.Join(day, name), true, func(w io.Writer) error { return g.Write(w, count) }); err != nil {
			return err
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func writeFile(name string, gz bool, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if gz {
		err = gzipTo(f, write)
	} else {
		err = write(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func gzipTo(w io.Writer, write func(io.Writer) error) error {
	zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	if err := write(zw); err != nil {
		return err
	}
	return zw.Close()
}
