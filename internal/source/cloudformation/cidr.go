package cloudformation

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"

	"gopkg.in/yaml.v3"
)

// cidrFn evaluates Fn::Cidr [ipBlock, count, cidrBits]: count consecutive
// subnets of ipBlock, each with cidrBits host bits, as CloudFormation
// computes them.
func (e *evaluator) cidrFn(arg, at *yaml.Node) val {
	if !e.listArg("Fn::Cidr", arg, at, 3, 3, "Fn::Cidr [ipBlock, count, cidrBits]") {
		return unknown("an invalid Fn::Cidr", at)
	}
	args := []val{e.eval(arg.Content[0]), e.eval(arg.Content[1]), e.eval(arg.Content[2])}
	return e.lift(args, at, func(a []val) val {
		for _, v := range a {
			if v.kind != kStr {
				u := e.opaque(v, at)
				return unknown("the subnets of Fn::Cidr over "+u.why, at)
			}
		}
		list, err := cidrSubnets(a[0].s, a[1].s, a[2].s)
		if err != nil {
			e.errorAt(at, "Fn::Cidr takes a CIDR block, a count from 1 to 256 and the subnets' host bits", "Fn::Cidr: %v", err)
			return unknown("an invalid Fn::Cidr", at)
		}
		out := val{kind: kList, n: at}
		for _, s := range list {
			out.list = append(out.list, str(s, at))
		}
		return out
	})
}

// cidrSubnets returns count subnets of block with cidrBits host bits each.
func cidrSubnets(block, countText, bitsText string) ([]string, error) {
	p, err := netip.ParsePrefix(block)
	if err != nil {
		return nil, fmt.Errorf("%q is not a CIDR block", block)
	}
	count, err := strconv.Atoi(countText)
	if err != nil || count < 1 || count > 256 {
		return nil, fmt.Errorf("count %q is not a number from 1 to 256", countText)
	}
	hostBits, err := strconv.Atoi(bitsText)
	total := p.Addr().BitLen()
	if err != nil || hostBits < 0 || hostBits > total {
		return nil, fmt.Errorf("cidrBits %q is not a number from 0 to %d", bitsText, total)
	}
	newLen := total - hostBits
	if newLen < p.Bits() {
		return nil, fmt.Errorf("subnets of %d host bits do not fit in %s", hostBits, block)
	}
	if avail := newLen - p.Bits(); avail < 9 && count > 1<<avail {
		return nil, fmt.Errorf("%s holds %d subnets of %d host bits, not %d", block, 1<<avail, hostBits, count)
	}
	base := new(big.Int).SetBytes(p.Masked().Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(hostBits))
	out := make([]string, 0, count)
	for i := range count {
		n := new(big.Int).Add(base, new(big.Int).Mul(step, big.NewInt(int64(i))))
		buf := make([]byte, total/8)
		n.FillBytes(buf)
		addr, _ := netip.AddrFromSlice(buf)
		out = append(out, netip.PrefixFrom(addr, newLen).String())
	}
	return out, nil
}
