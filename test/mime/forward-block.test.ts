// Our reader of forwarded header blocks, as a table: each form a client writes, what a person reads in it.
import { describe, expect, it } from 'vitest';
import { readForwardBlock } from '../../src/mime/forward-block.js';
import { readMailboxList } from '../../src/mime/forward-mailboxes.js';

const lines = (...l: string[]) => l.join('\n');

describe('readMailboxList', () => {
  it.each([
    ['name and angled address', 'Bob Stone <bob@globex.com>', [['bob@globex.com', 'Bob Stone']]],
    ['a bare address', 'bob@globex.com', [['bob@globex.com', '']]],
    ['Outlook’s name (address)', 'Bob Stone (bob@globex.com)', [['bob@globex.com', 'Bob Stone']]],
    [
      'Outlook’s name [mailto:address]',
      'Bob Stone [mailto:bob@globex.com]',
      [['bob@globex.com', 'Bob Stone']],
    ],
    [
      'Outlook’s list of name (address) by semicolons',
      'Jill Hart (jill@acme.com); Foo Bar (foo@bar.example)',
      [
        ['jill@acme.com', 'Jill Hart'],
        ['foo@bar.example', 'Foo Bar'],
      ],
    ],
    [
      'last-name-first names between semicolons',
      'Stone, Bob <bob@globex.com>; Hart, Jill <jill@acme.com>',
      [
        ['bob@globex.com', 'Stone, Bob'],
        ['jill@acme.com', 'Hart, Jill'],
      ],
    ],
    [
      'a last-name-first name before a comma list',
      'Stone, Bob <bob@globex.com>, jill@acme.com',
      [
        ['bob@globex.com', 'Stone, Bob'],
        ['jill@acme.com', ''],
      ],
    ],
    [
      'a quoted name with a comma',
      '"Stone, Bob" <bob@globex.com>, "Jill Hart" <jill@acme.com>',
      [
        ['bob@globex.com', 'Stone, Bob'],
        ['jill@acme.com', 'Jill Hart'],
      ],
    ],
    [
      'QQ Mail’s quoted name and trailing semicolon',
      '"Bob Stone"<bob@globex.com>;',
      [['bob@globex.com', 'Bob Stone']],
    ],
    ['an address given as its own name', '"bob@globex.com" <bob@globex.com>', [['bob@globex.com', '']]],
    [
      'Outlook’s flattened link after the address',
      'Bob Stone <bob@globex.com<mailto:bob@globex.com>>',
      [['bob@globex.com', 'Bob Stone']],
    ],
    ['Gmail’s bold name', '*Bob Stone* <bob@globex.com>', [['bob@globex.com', 'Bob Stone']]],
    [
      'an address with its name as a comment',
      'bob@globex.com (Bob Stone)',
      [['bob@globex.com', 'Bob Stone']],
    ],
    [
      'a wrapped value joined',
      'International Thing of Thing Stuff < j.thing@example.com>',
      [['j.thing@example.com', 'International Thing of Thing Stuff']],
    ],
    ['a name without an address', 'Jill Hart', []],
  ])('%s', (_, value, expected) => {
    expect(readMailboxList(value).map((a) => [a.email, a.name])).toEqual(expected);
  });
});

interface Row {
  readonly name: string;
  readonly text: string;
  readonly from: readonly string[];
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly subject?: string | null;
  readonly date?: string | null;
  readonly body?: string;
}

const ROWS: readonly Row[] = [
  {
    name: 'a From value wrapped after its "<" (Thunderbird, Outlook)',
    text: lines(
      'FYI',
      '',
      '-------- Forwarded Message --------',
      'Subject: Renewal',
      'Date: Tue, 3 Nov 2026 14:05:00 +0100',
      'From: International Thing of Thing Stuff <',
      'j.thing@example.com>',
      'To: Jill Hart <jill@acme.com>',
      '',
      'Can we talk?',
    ),
    from: ['j.thing@example.com'],
    to: ['jill@acme.com'],
    subject: 'Renewal',
    date: 'Tue, 3 Nov 2026 14:05:00 +0100',
    body: 'Can we talk?',
  },
  {
    name: 'a To list wrapped after a comma, and a folded subject',
    text: lines(
      '---------- Forwarded message ---------',
      'From: Bob Stone <bob@globex.com>',
      'Date: Tue, Nov 3, 2026 at 2:05 PM',
      'Subject: Renewal of the',
      '   three-year contract',
      'To: Jill Hart <jill@acme.com>,',
      'Ann Lee <ann@globex.com>',
      '',
      'Can we talk?',
    ),
    from: ['bob@globex.com'],
    to: ['jill@acme.com', 'ann@globex.com'],
    subject: 'Renewal of the three-year contract',
  },
  {
    name: 'Outlook’s "Name (address)" after its underscore line',
    text: lines(
      'FYI',
      '________________________________',
      'From: Bob Stone (bob@globex.com)',
      'Sent: Tuesday, November 3, 2026 2:05 PM',
      'To: Jill Hart (jill@acme.com); Foo Bar (foo@bar.example)',
      'Subject: Renewal',
      '',
      'Can we talk?',
    ),
    from: ['bob@globex.com'],
    to: ['jill@acme.com', 'foo@bar.example'],
    date: 'Tuesday, November 3, 2026 2:05 PM',
  },
  {
    name: 'Outlook’s "-----Original Message-----" with [mailto:] addresses',
    text: lines(
      '-----Original Message-----',
      'From: Bob Stone [mailto:bob@globex.com]',
      'Sent: Tuesday, November 3, 2026 2:05 PM',
      'To: Jill Hart',
      'Cc: Foo Bar [mailto:foo@bar.example]',
      'Subject: Renewal',
      '',
      'Can we talk?',
    ),
    from: ['bob@globex.com'],
    to: [],
    cc: ['foo@bar.example'],
  },
  {
    name: 'bold labels (Gmail’s text of an HTML forward)',
    text: lines(
      '---------- Forwarded message ---------',
      '*From:* *Bob Stone* <bob@globex.com>',
      '*Date:* Tue, Nov 3, 2026 at 2:05 PM',
      '*Subject:* Renewal',
      '*To:* Jill Hart <jill@acme.com>',
      '',
      'Can we talk?',
    ),
    from: ['bob@globex.com'],
    to: ['jill@acme.com'],
    date: 'Tue, Nov 3, 2026 at 2:05 PM',
    subject: 'Renewal',
  },
  {
    name: 'a quoted (">") block, its body unquoted',
    text: lines(
      'FYI',
      '',
      '> ---------- Forwarded message ---------',
      '> From: Bob Stone <bob@globex.com>',
      '> Date: Tue, Nov 3, 2026 at 2:05 PM',
      '> Subject: Renewal',
      '> To: Jill Hart <jill@acme.com>',
      '>',
      '> Can we talk?',
      '>> Earlier words',
    ),
    from: ['bob@globex.com'],
    to: ['jill@acme.com'],
    body: 'Can we talk?\n> Earlier words',
  },
  {
    name: 'a block without a separator line (Outlook HTML flattened)',
    text: lines(
      'FYI',
      '',
      'From: Bob Stone <bob@globex.com>',
      'Sent: Tuesday, November 3, 2026 2:05 PM',
      'To: Jill Hart <jill@acme.com>',
      'Subject: Renewal',
      'Can we talk?',
    ),
    from: ['bob@globex.com'],
    subject: 'Renewal',
    body: 'Can we talk?',
  },
  {
    name: 'Mail.ru: "Пересылаемое сообщение", "От кого", "Кому"',
    text: lines(
      '-------- Пересылаемое сообщение --------',
      'От кого: Боб Стоун <bob@globex.ru>',
      'Кому: Джилл Харт <jill@acme.com>',
      'Дата: Вторник, 3 ноября 2026, 14:05 +03:00',
      'Тема: Продление',
      '',
      'Можем поговорить?',
    ),
    from: ['bob@globex.ru'],
    to: ['jill@acme.com'],
    subject: 'Продление',
    date: 'Вторник, 3 ноября 2026, 14:05 +03:00',
  },
  {
    name: 'Yandex: the date and sender on one line under the separator',
    text: lines(
      '-------- Пересылаемое сообщение --------',
      '03.11.2026, 14:05, "Стоун, Боб" <bob@globex.ru>:',
      '',
      'Можем поговорить?',
    ),
    from: ['bob@globex.ru'],
    date: '03.11.2026, 14:05',
    body: 'Можем поговорить?',
  },
  {
    name: 'QQ Mail: "原始邮件", full-width names, semicolons',
    text: lines(
      '------------------\u00a0原始邮件\u00a0------------------',
      '发件人: "Bob Stone"<bob@globex.cn>;',
      '发送时间: 2026年11月3日(星期二) 下午2:05',
      '收件人: "Jill Hart"<jill@acme.com>;',
      '抄送: "Ann Lee"<ann@globex.cn>;',
      '主题: 续约',
      '',
      '可以谈谈吗？',
    ),
    from: ['bob@globex.cn'],
    to: ['jill@acme.com'],
    cc: ['ann@globex.cn'],
    subject: '续约',
    date: '2026年11月3日(星期二) 下午2:05',
  },
  {
    name: '163/NetEase: full-width colons',
    text: lines(
      '-------- 转发邮件信息 --------',
      '发件人：“Bob Stone” <bob@globex.cn>',
      '发送日期：2026-11-03 14:05:00',
      '收件人：jill@acme.com',
      '主题：续约',
      '',
      '可以谈谈吗？',
    ),
    from: ['bob@globex.cn'],
    to: ['jill@acme.com'],
    date: '2026-11-03 14:05:00',
  },
  {
    name: 'Japanese Outlook: 差出人, 送信日時, 宛先, 件名',
    text: lines(
      '差出人: Bob Stone <bob@globex.jp>',
      '送信日時: 2026年11月3日 14:05',
      '宛先: Jill Hart <jill@acme.com>',
      '件名: 更新',
      '',
      'お話しできますか？',
    ),
    from: ['bob@globex.jp'],
    to: ['jill@acme.com'],
    subject: '更新',
  },
  {
    name: 'Korean: 보낸 사람, 받는 사람, 제목, 날짜',
    text: lines(
      '---------- 전달된 메시지 ---------',
      '보낸 사람: Bob Stone <bob@globex.kr>',
      '날짜: 2026년 11월 3일 (화) 오후 2:05',
      '제목: 갱신',
      '받는 사람: Jill Hart <jill@acme.com>',
      '',
      '이야기할 수 있을까요?',
    ),
    from: ['bob@globex.kr'],
    to: ['jill@acme.com'],
    subject: '갱신',
    date: '2026년 11월 3일 (화) 오후 2:05',
  },
];

describe('readForwardBlock', () => {
  it.each(ROWS)('reads $name', (row) => {
    const block = readForwardBlock(row.text);
    if (block === null) throw new Error('no block read');
    expect(block.from.map((a) => a.email)).toEqual(row.from);
    if (row.to !== undefined) expect(block.to.map((a) => a.email)).toEqual(row.to);
    if (row.cc !== undefined) expect(block.cc.map((a) => a.email)).toEqual(row.cc);
    if (row.subject !== undefined) expect(block.subject).toBe(row.subject);
    if (row.date !== undefined) expect(block.date).toBe(row.date);
    if (row.body !== undefined) expect(block.body).toBe(row.body);
  });

  it.each([
    ['a note with one "From:" line', lines('From: the whole team at Globex', 'Thanks for the call.')],
    ['labels without a sender’s address and no separator', lines('From: Bob', 'Subject: hi', '', 'text')],
    ['plain prose', lines('Talked to Bob about the renewal.', 'To do: send the quote.')],
  ])('reads no block in %s', (_, text) => {
    expect(readForwardBlock(text)).toBeNull();
  });
});

describe('the forwarder’s note', () => {
  it('is the text above the separator line', () => {
    const block = readForwardBlock(
      lines(
        'FYI, see below.',
        '',
        '-----Original Message-----',
        'From: Bob Stone [mailto:bob@globex.com]',
        'Subject: Renewal',
        '',
        'Can we talk?',
      ),
    );
    expect(block?.note).toBe('FYI, see below.');
  });

  it('is the text above a block without a separator line', () => {
    const block = readForwardBlock(
      lines(
        'Please look.',
        'From: Bob Stone <bob@globex.com>',
        'Sent: Tuesday, November 3, 2026 2:05 PM',
        '',
        'Can we talk?',
      ),
    );
    expect(block?.note).toBe('Please look.');
  });
});
