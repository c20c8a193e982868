using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Vtls.Cli.Commands;

/// <summary>
/// The standard help, followed by notes for the command it describes (exit codes, examples), which
/// System.CommandLine has no section for.
/// </summary>
internal sealed class NotedHelpAction : SynchronousCommandLineAction
{
    private readonly Dictionary<Command, string> _notes = [];
    private HelpAction _standard = new();

    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <summary>Adds notes to print after the help of <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    /// <param name="notes">The text, already laid out.</param>
    public void Add(Command command, string notes) => _notes[command] = notes;

    /// <summary>Replaces the help action of <paramref name="root"/>'s help option with this one.</summary>
    /// <param name="root">The root command; its help option serves every subcommand.</param>
    public void InstallOn(RootCommand root)
    {
        foreach (var option in root.Options.OfType<HelpOption>())
        {
            if (option.Action is HelpAction standard)
            {
                _standard = standard;
            }

            option.Action = this;
        }
    }

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        int code = _standard.Invoke(parseResult);
        if (_notes.TryGetValue(parseResult.CommandResult.Command, out var notes))
        {
            parseResult.InvocationConfiguration.Output.WriteLine(notes);
        }

        return code;
    }
}
