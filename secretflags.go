package main

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/api/secretfile"
)

// secretFlag is a secret a command takes on its command line. The flag
// itself (--token) shows the secret to every local user through ps and
// /proc, so each has a file form (--token-file, readable by its owner
// only) and, where one exists, an environment variable; both the help and
// the refusal to take the two forms at once say so.
type secretFlag struct {
	name      string // the flag; its file form is name + "-file"
	usage     string // the flag's help: what the secret is, its default
	fileUsage string // the file form's help: what the file holds
	env       string // the environment variable that also holds it, or ""
	list      bool   // repeatable; its file holds one secret a line

	one  string
	many []string
	file string
}

// fileFlag is the name of the file form.
func (s *secretFlag) fileFlag() string { return s.name + "-file" }

// bind declares the flag and its file form on fl.
func (s *secretFlag) bind(fl *pflag.FlagSet) {
	alt := "--" + s.fileFlag()
	if s.env != "" {
		alt += " or " + s.env
	}
	usage := fmt.Sprintf("%s. Visible to other local users (ps): prefer %s", s.usage, alt)
	if s.list {
		fl.StringArrayVar(&s.many, s.name, nil, usage)
	} else {
		fl.StringVar(&s.one, s.name, "", usage)
	}
	fl.StringVar(&s.file, s.fileFlag(), "", s.fileUsage+", readable by its owner only (chmod 600)")
}

// values are the secrets given on the command line, through the flag or
// its file, and whether either was given at all.
func (s *secretFlag) values(fl *pflag.FlagSet) ([]string, bool, error) {
	flag, file := fl.Changed(s.name), fl.Changed(s.fileFlag())
	switch {
	case flag && file:
		return nil, false, fmt.Errorf("--%s and --%s both given: give the secret once, in the file", s.name, s.fileFlag())
	case file && s.file == "":
		return nil, false, fmt.Errorf("--%s is empty: want the path of a file", s.fileFlag())
	case file && s.list:
		secrets, err := secretfile.ReadLines(s.file)
		if err != nil {
			return nil, false, fmt.Errorf("--%s: %w", s.fileFlag(), err)
		}
		return secrets, true, nil
	case file:
		secret, err := secretfile.Read(s.file)
		if err != nil {
			return nil, false, fmt.Errorf("--%s: %w", s.fileFlag(), err)
		}
		return []string{secret}, true, nil
	case flag && s.list:
		return s.many, true, nil
	case flag:
		return []string{s.one}, true, nil
	}
	return nil, false, nil
}

// value is the one secret given on the command line, as values.
func (s *secretFlag) value(fl *pflag.FlagSet) (string, bool, error) {
	v, set, err := s.values(fl)
	if err != nil || !set {
		return "", set, err
	}
	return v[0], true, nil
}

// secretOrEnv is the one secret given on the command line, else the first
// of the comma-separated list in the flag's environment variable.
func secretOrEnv(fl *pflag.FlagSet, s *secretFlag, getenv func(string) string) (string, error) {
	v, ok, err := s.value(fl)
	if err != nil || ok {
		return v, err
	}
	if s.env == "" {
		return "", nil
	}
	if list := splitList(getenv(s.env)); len(list) > 0 {
		return list[0], nil
	}
	return "", nil
}
