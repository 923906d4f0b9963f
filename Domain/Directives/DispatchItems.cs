using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// The tasks of a dispatch's body, read from its structure as dispatches write it:
/// <list type="bullet">
/// <item>a heading names who the items under it are for ("1. Đối với các Đảng bộ, chi bộ trực
/// thuộc", "3. Giao Văn phòng Đảng ủy", "- Đoàn Thanh niên phường:") or a topic ("3. Báo cáo kết
/// quả:", an item with sub-items); it is never a task itself;</item>
/// <item>an item with an action of its own ("1.1 Khẩn trương tổ chức …", "2. Rà soát, bổ sung …")
/// is a task, and the bullets and paragraphs under it are its details — unless one carries a
/// deadline of its own ("- Gửi báo cáo … trước ngày 10/02/2026"), which makes it a task too;</item>
/// <item>the bullets (or the paragraph) right under a heading, or under the opening sentence
/// when there are no numbered items, are tasks;</item>
/// <item>a line that holds only a deadline ("Thời hạn hoàn thành: Trước ngày 26/02/2026") gives it
/// to the task above; any other paragraph with a deadline is a task; "Tổ chức thực hiện" holds
/// none; the body ends at "Nơi nhận" or the signature.</item>
/// </list>
/// A task's title is its own text, whole, without the deadline phrase (or the "Giao …" that names
/// its unit); its recipients are those its heading or its opening names ("Giao Văn phòng Đảng ủy …",
/// "Văn phòng Đảng ủy chủ trì …", "Ủy ban Kiểm tra Đảng ủy: …"), else the addressees — those of
/// them its subject speaks of, when it begins with one ("Các chi bộ báo cáo …").
/// </summary>
internal static partial class DispatchItems
{
    public static IReadOnlyList<SuggestedTask> Read(IReadOnlyList<Block> blocks, int from, IReadOnlyList<string> addressees, SuggestionContext context, DateOnly? issuedOn)
    {
        var walk = new Walk(addressees);
        for (var i = from; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.Marker == BlockMarker.None && EndOfBody().IsMatch(block.Folded))
            {
                break;
            }

            var next = i + 1 < blocks.Count ? blocks[i + 1] : null;
            walk.Add(block, DeadlinePhrases.In(block, context, issuedOn), next);
        }

        return walk.Tasks
            .Where(t => t.Title.Length > 0)
            .Select(t => new SuggestedTask(t.Title, KindOf(t.Title), t.Deadline?.Deadline, t.Deadline?.Source, t.Deadline?.Term, t.Recipients))
            .DistinctBy(t => (t.Title, t.Deadline))
            .ToList();
    }

    private enum NodeKind
    {
        Heading,
        Task,
        Detail,
    }

    private sealed class Draft(string title, DeadlinePhrase? deadline, IReadOnlyList<string> recipients)
    {
        public string Title { get; } = title;

        public DeadlinePhrase? Deadline { get; set; } = deadline;

        public IReadOnlyList<string> Recipients { get; } = recipients;
    }

    private sealed class Node(NodeKind kind, int depth, Node? parent, IReadOnlyList<string> recipients, bool excluded)
    {
        public NodeKind Kind { get; } = kind;

        public int Depth { get; } = depth;

        public bool Excluded { get; } = excluded || (parent?.Excluded ?? false);

        public bool HasChildren { get; set; }

        public Draft? Task { get; set; }

        /// <summary>Whom the items under this node are for: its own recipients, else its parent's.</summary>
        public IReadOnlyList<string>? Recipients { get; } = recipients.Count > 0 ? recipients : parent?.Recipients;
    }

    private sealed class Walk(IReadOnlyList<string> addressees)
    {
        private readonly List<Node> _numbered = [];
        private Node? _bullet;

        public List<Draft> Tasks { get; } = [];

        public void Add(Block block, IReadOnlyList<DeadlinePhrase> phrases, Block? next)
        {
            if (phrases.Count > 0 && Title(block.Text, 0, phrases).Length < 3)
            {
                var target = _bullet?.Task ?? Top?.Task ?? Tasks.LastOrDefault();
                if (target is { Deadline: null })
                {
                    target.Deadline = phrases[0];
                }

                return;
            }

            switch (block.Marker)
            {
                case BlockMarker.Roman or BlockMarker.Number or BlockMarker.Letter:
                    Item(block, phrases, next);
                    break;
                case BlockMarker.Dash or BlockMarker.Plus:
                    Bullet(block, phrases);
                    break;
                default:
                    Paragraph(block, phrases);
                    break;
            }
        }

        private Node? Top => _numbered.Count > 0 ? _numbered[^1] : null;

        private void Item(Block block, IReadOnlyList<DeadlinePhrase> phrases, Block? next)
        {
            while (Top is { } top && top.Depth >= block.Depth)
            {
                _numbered.RemoveAt(_numbered.Count - 1);
            }

            _bullet = null;
            var parent = Top;
            parent?.HasChildren = true;
            if (Excluded().IsMatch(block.Folded))
            {
                _numbered.Add(new Node(NodeKind.Heading, block.Depth, parent, [], excluded: true));
                return;
            }

            var (body, rest) = RecipientGroups.Named(block.Text);
            var groups = body is null ? [] : RecipientGroups.Split(body);
            var deeper = next is { IsNumbered: true } && next.Depth > block.Depth;
            var topic = block.Text.TrimEnd().EndsWith(':') || deeper
                || (block.Emphasised && phrases.Count == 0 && block.Text.Split(' ').Length <= 12 && !block.Text.TrimEnd().EndsWith('.'));
            if ((body is not null && Title(block.Text, rest, phrases).Length == 0) || topic)
            {
                _numbered.Add(new Node(NodeKind.Heading, block.Depth, parent, groups, excluded: false));
                return;
            }

            var from = body is null ? 0 : rest;
            if (body is null && parent?.Recipients is null && RecipientGroups.Subject(block.Text) is { Body: { } subject } said)
            {
                (groups, from) = said.Collective ? (RecipientGroups.Among(addressees, subject), 0) : (RecipientGroups.Split(subject), said.VerbAt);
            }

            var node = new Node(NodeKind.Task, block.Depth, parent, groups, excluded: false);
            _numbered.Add(node);
            node.Task = AddTasks(block.Text, from, phrases, node);
        }

        private void Bullet(Block block, IReadOnlyList<DeadlinePhrase> phrases)
        {
            var owner = block.Marker == BlockMarker.Plus ? _bullet ?? Top : Top;
            owner?.HasChildren = true;
            var (body, rest) = RecipientGroups.Named(block.Text);
            Node node;
            if (owner?.Excluded == true)
            {
                node = new Node(NodeKind.Detail, int.MaxValue, owner, [], excluded: true);
            }
            else if (body is not null && Title(block.Text, rest, phrases).Length == 0)
            {
                node = new Node(NodeKind.Heading, int.MaxValue, owner, RecipientGroups.Split(body), excluded: false);
            }
            else if (owner is null || owner.Kind == NodeKind.Heading || phrases.Count > 0)
            {
                node = new Node(NodeKind.Task, int.MaxValue, owner, body is null ? [] : RecipientGroups.Split(body), excluded: false);
                node.Task = AddTasks(block.Text, body is null ? 0 : rest, phrases, node);
            }
            else
            {
                node = new Node(NodeKind.Detail, int.MaxValue, owner, [], excluded: false);
            }

            if (block.Marker == BlockMarker.Dash)
            {
                _bullet = node;
            }
        }

        private void Paragraph(Block block, IReadOnlyList<DeadlinePhrase> phrases)
        {
            var owner = Top;
            if (owner?.Excluded == true || block.Text.TrimEnd().EndsWith(':'))
            {
                return;
            }

            var first = owner is { Kind: NodeKind.Heading, HasChildren: false } && _bullet is null;
            if (first || phrases.Count > 0)
            {
                owner?.HasChildren = true;
                AddTasks(block.Text, 0, phrases, owner ?? new Node(NodeKind.Heading, 0, null, [], excluded: false));
            }
        }

        /// <summary>
        /// The task (or tasks, when the text gives different deadlines to different parts: "… trước
        /// ngày 06/02/2026; … trước ngày 10/02/2026") of a block's text from <paramref name="from"/>.
        /// </summary>
        private Draft? AddTasks(string text, int from, IReadOnlyList<DeadlinePhrase> phrases, Node node)
        {
            var recipients = node.Recipients ?? addressees;
            var own = phrases.Where(p => p.Start >= from).ToList();
            var drafts = new List<Draft>();
            if (own.Select(p => p.Deadline).Distinct().Count() > 1)
            {
                for (var k = 0; k < own.Count; k++)
                {
                    var end = k == own.Count - 1 ? text.Length : own[k].End;
                    var start = k == 0 ? from : own[k - 1].End;
                    drafts.Add(new Draft(Title(text[..end], start, own), own[k], recipients));
                }
            }

            if (drafts.Count == 0 || drafts.Exists(d => d.Title.Length < 10))
            {
                drafts = [new Draft(Title(text, from, own), own.FirstOrDefault(), recipients)];
            }

            Tasks.AddRange(drafts);
            return drafts[^1];
        }
    }

    /// <summary>A task's title: its text from <paramref name="from"/>, without the deadline phrases, whole, the first letter in capitals.</summary>
    private static string Title(string text, int from, IReadOnlyList<DeadlinePhrase> phrases)
    {
        var kept = new System.Text.StringBuilder();
        var at = from;
        foreach (var phrase in phrases.Where(p => p.End > from && p.Start < text.Length))
        {
            if (phrase.Start > at)
            {
                kept.Append(text, at, phrase.Start - at);
            }

            kept.Append(' ');
            at = Math.Max(at, phrase.End);
        }

        if (at < text.Length)
        {
            kept.Append(text, at, text.Length - at);
        }

        var title = DispatchText.Tidy(kept.ToString());
        title = Ending().Replace(title, string.Empty).TrimStart(' ', ',', ';', ':', '.', '-', '–');
        return DispatchText.Capitalised(title.Trim());
    }

    /// <summary>Statistics when the task asks for a report or figures on a template ("báo cáo … theo mẫu", "số liệu … theo biểu mẫu"), otherwise confirmation.</summary>
    private static TaskKind KindOf(string title)
    {
        var folded = DispatchText.FoldKeepingLength(title);
        var report = folded.Contains("BAO CAO", StringComparison.Ordinal);
        var figures = folded.Contains("SO LIEU", StringComparison.Ordinal) || folded.Contains("THONG KE", StringComparison.Ordinal);
        var template = Template().IsMatch(folded);
        return (report && (template || figures)) || (figures && template) ? TaskKind.Statistics : TaskKind.Confirmation;
    }

    [GeneratedRegex(@"^(?:NOI\s+NHAN|T\s*/\s*M\b|TM\.|T\s*/\s*L\b|TL\.|K\s*/\s*T\b|KT\.)", RegexOptions.CultureInvariant)]
    private static partial Regex EndOfBody();

    [GeneratedRegex(@"^(?:TO\s+CHUC\s+THUC\s+HIEN|MUC\s+DICH(?:\s*,?\s*YEU\s+CAU)?|CAN\s+CU)\s*[.:]?$", RegexOptions.CultureInvariant)]
    private static partial Regex Excluded();

    [GeneratedRegex(@"(?<![A-Z])(?:MAU|BIEU)(?![A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex Template();

    [GeneratedRegex(@"(?:[\s,;:.\-–]|\.\.\.|…)+$")]
    private static partial Regex Ending();
}
