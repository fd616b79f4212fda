// Command terraform generates a Terraform tree for benchmarks: -files .tf
// files holding -groups security groups in mixed rule styles (inline
// blocks, dynamic blocks, aws_security_group_rule and
// aws_vpc_security_group_ingress_rule/_egress_rule resources), with a few
// world-open admin ports, public egress and groups without descriptions,
// so that every scanner has something to report.
//
//	go run ./bench/terraform -groups 5000 -files 200 -o /tmp/tree
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	groups := flag.Int("groups", 5000, "security groups to generate (2000, 5000, 20000)")
	files := flag.Int("files", 200, "files to spread them over")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "", "output directory (created)")
	flag.Parse()
	if *out == "" || *groups < 1 || *files < 1 {
		fmt.Fprintln(os.Stderr, "terraform: error: -o DIR is required, and -groups and -files must be positive")
		os.Exit(2)
	}
	if err := generate(*out, *groups, *files, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "terraform: error:", err)
		os.Exit(1)
	}
}

func generate(dir string, groups, files int, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(header), 0o644); err != nil {
		return err
	}
	per := (groups + files - 1) / files
	for f := 0; f < files; f++ {
		first, last := f*per, min((f+1)*per, groups)
		if first >= last {
			break
		}
		if err := writeFile(filepath.Join(dir, fmt.Sprintf("groups_%03d.tf", f)), first, last, rng); err != nil {
			return err
		}
	}
	return nil
}

const header = `variable "vpc_cidr" {
  default = "10.0.0.0/16"
}

variable "web_ports" {
  default = [80, 443]
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id

  ingress {
    description = "members"
    protocol    = "-1"
    self        = true
    from_port   = 0
    to_port     = 0
  }
}
`

func writeFile(path string, first, last int, rng *rand.Rand) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(fh)
	for i := first; i < last; i++ {
		group(w, i, rng)
	}
	if err := w.Flush(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// group writes group i in one of four styles.
func group(w *bufio.Writer, i int, rng *rand.Rand) {
	name := fmt.Sprintf("g%05d", i)
	desc := fmt.Sprintf("  description = \"service %d\"\n", i)
	if rng.IntN(10) == 0 {
		desc = ""
	}
	port := 1024 + rng.IntN(8000)
	cidr := fmt.Sprintf("10.%d.%d.0/24", rng.IntN(256), rng.IntN(256))
	world := rng.IntN(20) == 0
	fmt.Fprintf(w, "resource \"aws_security_group\" %q {\n  name        = \"%s-sg-prod\"\n%s  vpc_id      = aws_vpc.main.id\n", name, name, desc)
	switch i % 4 {
	case 0: // inline blocks
		fmt.Fprintf(w, "\n  ingress {\n    description = \"app\"\n    from_port   = %d\n    to_port     = %d\n    protocol    = \"tcp\"\n    cidr_blocks = [%q]\n  }\n", port, port, cidr)
		if world {
			fmt.Fprintf(w, "\n  ingress {\n    description = \"ssh\"\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n")
		}
		fmt.Fprintf(w, "\n  egress {\n    description = \"all\"\n    from_port   = 0\n    to_port     = 0\n    protocol    = \"-1\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n\n")
	case 1: // dynamic blocks
		fmt.Fprintf(w, "\n  dynamic \"ingress\" {\n    for_each = var.web_ports\n    content {\n      description = \"web\"\n      from_port   = ingress.value\n      to_port     = ingress.value\n      protocol    = \"tcp\"\n      cidr_blocks = [\"0.0.0.0/0\"]\n    }\n  }\n\n  egress {\n    description = \"https\"\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n\n")
	case 2: // aws_security_group_rule
		fmt.Fprintf(w, "}\n\nresource \"aws_security_group_rule\" \"%s_in\" {\n  type                     = \"ingress\"\n  security_group_id        = aws_security_group.%s.id\n  description              = \"from the previous group\"\n  from_port                = %d\n  to_port                  = %d\n  protocol                 = \"tcp\"\n  source_security_group_id = aws_security_group.g%05d.id\n}\n\n", name, name, port, port, i-1)
		if world {
			fmt.Fprintf(w, "resource \"aws_security_group_rule\" \"%s_rdp\" {\n  type              = \"ingress\"\n  security_group_id = aws_security_group.%s.id\n  from_port         = 3389\n  to_port           = 3389\n  protocol          = \"tcp\"\n  cidr_blocks       = [\"0.0.0.0/0\"]\n}\n\n", name, name)
		}
	default: // aws_vpc_security_group_*_rule
		fmt.Fprintf(w, "}\n\nresource \"aws_vpc_security_group_ingress_rule\" \"%s_in\" {\n  security_group_id = aws_security_group.%s.id\n  description       = \"app\"\n  ip_protocol       = \"tcp\"\n  from_port         = %d\n  to_port           = %d\n  cidr_ipv4         = %q\n}\n\n", name, name, port, port, cidr)
		fmt.Fprintf(w, "resource \"aws_vpc_security_group_egress_rule\" \"%s_out\" {\n  security_group_id = aws_security_group.%s.id\n  description       = \"all\"\n  ip_protocol       = \"-1\"\n  cidr_ipv4         = \"0.0.0.0/0\"\n}\n\n", name, name)
	}
}
