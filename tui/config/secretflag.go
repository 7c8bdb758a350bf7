package config

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/api/secretfile"
)

// SecretFlag is a secret a command takes on its command line. The flag
// itself (--token) shows the secret to every local user through ps and
// /proc, so each has a file form (--token-file, readable by its owner
// only) and, where one exists, an environment variable; both the help and
// the refusal to take the two forms at once say so.
type SecretFlag struct {
	Name      string // the flag; its file form is Name + "-file"
	Usage     string // the flag's help: what the secret is, its default
	FileUsage string // the file form's help: what the file holds
	Env       string // the environment variable that also holds it, or ""
	List      bool   // repeatable; its file holds one secret a line

	one  string
	many []string
	file string
}

// FileFlag is the name of the file form.
func (s *SecretFlag) FileFlag() string { return s.Name + "-file" }

// Bind declares the flag and its file form on fl.
func (s *SecretFlag) Bind(fl *pflag.FlagSet) {
	alt := "--" + s.FileFlag()
	if s.Env != "" {
		alt += " or " + s.Env
	}
	usage := fmt.Sprintf("%s. Visible to other local users (ps): prefer %s", s.Usage, alt)
	if s.List {
		fl.StringArrayVar(&s.many, s.Name, nil, usage)
	} else {
		fl.StringVar(&s.one, s.Name, "", usage)
	}
	fl.StringVar(&s.file, s.FileFlag(), "", s.FileUsage+", readable by its owner only (chmod 600)")
}

// Values are the secrets given on the command line, through the flag or
// its file, and whether either was given at all.
func (s *SecretFlag) Values(fl *pflag.FlagSet) ([]string, bool, error) {
	flag, file := fl.Changed(s.Name), fl.Changed(s.FileFlag())
	switch {
	case flag && file:
		return nil, false, fmt.Errorf("--%s and --%s both given: give the secret once, in the file", s.Name, s.FileFlag())
	case file && s.file == "":
		return nil, false, fmt.Errorf("--%s is empty: want the path of a file", s.FileFlag())
	case file && s.List:
		secrets, err := secretfile.ReadLines(s.file)
		if err != nil {
			return nil, false, fmt.Errorf("--%s: %w", s.FileFlag(), err)
		}
		return secrets, true, nil
	case file:
		secret, err := secretfile.Read(s.file)
		if err != nil {
			return nil, false, fmt.Errorf("--%s: %w", s.FileFlag(), err)
		}
		return []string{secret}, true, nil
	case flag && s.List:
		return s.many, true, nil
	case flag:
		return []string{s.one}, true, nil
	}
	return nil, false, nil
}

// File is the path the file form was given, if it was.
func (s *SecretFlag) File() string { return s.file }

// Value is the one secret given on the command line, as Values.
func (s *SecretFlag) Value(fl *pflag.FlagSet) (string, bool, error) {
	v, set, err := s.Values(fl)
	if err != nil || !set {
		return "", set, err
	}
	return v[0], true, nil
}

// SecretOrEnv is the one secret given on the command line, else the first
// of the comma-separated list in the flag's environment variable.
func SecretOrEnv(fl *pflag.FlagSet, s *SecretFlag, getenv func(string) string) (string, error) {
	v, ok, err := s.Value(fl)
	if err != nil || ok {
		return v, err
	}
	if s.Env == "" {
		return "", nil
	}
	if list := splitList(getenv(s.Env)); len(list) > 0 {
		return list[0], nil
	}
	return "", nil
}
