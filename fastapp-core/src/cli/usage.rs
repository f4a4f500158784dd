//! Usage errors (`cli.E080`): what clap found wrong with the command line,
//! read from the error's kind and context, not from its rendered text.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use fastapp_config::Finding;

/// `cli.E080`: what was wrong (the argument, the value), the command line
/// as the location, and clap's suggestions, the possible values, the usage
/// line and the `--help` of the command given as the fix. `command` is the
/// program's clap command, `args` its arguments after the program's name.
pub(super) fn finding(err: &clap::Error, command: &clap::Command, args: &[String]) -> Finding {
    let text = |kind| context(err, kind).filter(|text| !text.is_empty());
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let sub = text(ContextKind::InvalidSubcommand).unwrap_or_default();
    let (given, commands) = given(command, args);
    let message = match err.kind() {
        ErrorKind::InvalidSubcommand => format!("unknown command '{sub}'"),
        ErrorKind::UnknownArgument => format!("unexpected argument '{arg}'"),
        ErrorKind::InvalidValue if value.is_empty() => format!("'{arg}' needs a value"),
        ErrorKind::InvalidValue => format!("invalid value '{value}' for '{arg}'"),
        ErrorKind::ValueValidation => match std::error::Error::source(err) {
            Some(why) => format!("invalid value '{value}' for '{arg}': {why}"),
            None => format!("invalid value '{value}' for '{arg}'"),
        },
        ErrorKind::MissingRequiredArgument => format!("missing {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!("`{given}` needs a command")
        }
        ErrorKind::ArgumentConflict => match text(ContextKind::PriorArg) {
            Some(prior) if prior != arg => format!("'{arg}' cannot be used with '{prior}'"),
            _ => format!("'{arg}' cannot be given twice"),
        },
        ErrorKind::TooManyValues => format!("unexpected value '{value}' for '{arg}'"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("wrong number of values for '{arg}'")
        }
        ErrorKind::NoEquals => format!("'{arg}' takes its value after '='"),
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_string(),
        kind => kind.as_str().unwrap_or("invalid command line").to_string(),
    };

    let mut fix = Vec::new();
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        if let Some(suggestion) = text(kind) {
            fix.push(format!("did you mean '{suggestion}'?"));
        }
    }
    if let Some(values) = text(ContextKind::ValidValue) {
        fix.push(format!("possible values: {values}"));
    }
    let missing_command = matches!(
        err.kind(),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if missing_command && !commands.is_empty() {
        fix.push(format!("commands: {}", commands.join(", ")));
    }
    // clap's tips, such as passing `-- --flag` to give a value that looks like a flag.
    fix.extend(text(ContextKind::Suggested));
    if let Some(usage) = text(ContextKind::Usage) {
        fix.push(usage.trim().replacen("Usage:", "usage:", 1));
    }
    fix.push(format!("see `{given} --help`"));
    let location = format!("command line: {} {}", command.get_name(), args.join(" "));
    Finding::new("cli.E080", message, fix.join("; ")).location(location)
}

/// The command the arguments name (`demo migrate revert`, as deep as they
/// go) and its own commands.
fn given(command: &clap::Command, args: &[String]) -> (String, Vec<String>) {
    let mut path = vec![command.get_name().to_string()];
    let mut command = command;
    for arg in args {
        if let Some(sub) = command.find_subcommand(arg) {
            path.push(sub.get_name().to_string());
            command = sub;
        }
    }
    let commands = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name().to_string())
        .collect();
    (path.join(" "), commands)
}

/// One piece of the error's context as plain text (a list joined by `, `).
fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::Strings(list) => Some(list.join(", ")),
        // Display of a styled string is its plain text.
        ContextValue::StyledStr(text) => Some(text.to_string()),
        ContextValue::StyledStrs(list) => Some(
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(_) | ContextValue::None => None,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use clap::{Parser, Subcommand};

    #[derive(Parser, Debug)]
    #[command(name = "demo")]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand, Debug)]
    enum Command {
        Serve {
            #[arg(long)]
            port: u16,
        },
        Routes {
            #[arg(long)]
            json: bool,
        },
        Apps {
            #[command(subcommand)]
            command: Apps,
        },
    }

    #[derive(Subcommand, Debug)]
    enum Apps {
        List,
        Graph,
    }

    fn finding(args: &[&str]) -> String {
        use clap::CommandFactory;
        let err = Cli::try_parse_from(args).unwrap_err();
        let rest: Vec<String> = args[1..].iter().map(ToString::to_string).collect();
        super::finding(&err, &Cli::command(), &rest).to_string()
    }

    #[test]
    fn a_misspelt_command_is_named_with_a_suggestion() {
        let text = finding(&["demo", "serv"]);
        assert!(text.starts_with("[cli.E080] unknown command 'serv'"), "{text}");
        assert!(text.contains("--> command line: demo serv"), "{text}");
        assert!(
            text.contains("= fix: did you mean 'serve'?; usage: demo <COMMAND>; see `demo --help`"),
            "{text}"
        );
    }

    #[test]
    fn a_bad_value_names_the_argument_and_why() {
        let text = finding(&["demo", "serve", "--port", "99999"]);
        assert!(
            text.contains("invalid value '99999' for '--port <PORT>': 99999 is not in 0..=65535"),
            "{text}"
        );
        assert!(text.contains("see `demo serve --help`"), "{text}");
        let text = finding(&["demo", "routes", "--jsn"]);
        assert!(text.contains("unexpected argument '--jsn'"), "{text}");
        assert!(text.contains("did you mean '--json'?"), "{text}");
        let text = finding(&["demo", "serve"]);
        assert!(text.contains("missing --port <PORT>"), "{text}");
    }

    #[test]
    fn a_missing_command_lists_the_commands() {
        let text = finding(&["demo", "apps"]);
        assert!(
            text.starts_with("[cli.E080] `demo apps` needs a command"),
            "{text}"
        );
        assert!(text.contains("commands: list, graph"), "{text}");
        assert!(text.contains("see `demo apps --help`"), "{text}");
    }
}
