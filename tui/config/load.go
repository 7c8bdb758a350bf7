package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// defaultPath is $XDG_CONFIG_HOME/carddesk/config.toml.
func defaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "carddesk", "config.toml")
}

// defaultStateDir is $XDG_STATE_HOME/carddesk, or ~/.local/state/carddesk.
func defaultStateDir(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "carddesk")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "carddesk")
	}
	return filepath.Join(os.TempDir(), "carddesk-state")
}

// Load reads path (the default path when empty, where a missing file
// means defaults), applies environment overrides and checks the result.
func Load(path string, getenv func(string) string) (Config, error) {
	cfg := Default()
	explicit := path != ""
	if !explicit {
		path = defaultPath()
	}
	if path != "" {
		raw, info, err := readConfigFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !explicit:
		case err != nil:
			return Config{}, fmt.Errorf("read config: %w", err)
		default:
			if cfg, err = parse(raw, cfg); err != nil {
				return Config{}, fmt.Errorf("config %s: %w", path, err)
			}
			// The defaults hold no secret: those in cfg are the file's.
			if err := checkPrivate(path, info, cfg); err != nil {
				return Config{}, err
			}
		}
	}
	applyEnv(&cfg, getenv)
	if cfg.StateDir == "" {
		cfg.StateDir = defaultStateDir(getenv)
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// parse decodes TOML over base, refusing keys it does not know so
// that a typo is an error rather than a silently ignored setting.
func parse(raw []byte, base Config) (Config, error) {
	cfg := base
	md, err := toml.Decode(string(raw), &cfg)
	if err != nil {
		return Config{}, describeTOMLError(err)
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		keys := make([]string, len(extra))
		for i, k := range extra {
			keys[i] = k.String()
		}
		return Config{}, fmt.Errorf("unknown key %s", strings.Join(keys, ", "))
	}
	return cfg, nil
}

func describeTOMLError(err error) error {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		if isSecretKey(perr.LastKey) {
			return fmt.Errorf("line %d %s", perr.Position.Line, hideSecret(perr.LastKey, perr.Message))
		}
		return fmt.Errorf("line %d: %s", perr.Position.Line, perr.Message)
	}
	return err
}

// maxConfigSize caps what Load reads: --config /dev/zero must not
// fill the memory.
const maxConfigSize = 1 << 20

// readConfigFile reads the configuration file at path, with its mode as
// the open file has it (not a file swapped in since).
func readConfigFile(path string) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw) > maxConfigSize {
		return nil, nil, fmt.Errorf("%s is larger than %d bytes", path, maxConfigSize)
	}
	return raw, info, nil
}
