import { describe, expect, it } from 'vitest';
import type { QuestionsByUnit } from './routing.ts';
import {
  MAX_QUESTIONS_PER_UNIT,
  MAX_QUESTION_CHARS,
  hasQuestion,
  invitationsWithQuestions,
  questionCount,
  rewordQuestion,
  toggleQuestion,
  unitsToInvite,
} from './routing.ts';

const routing = {
  invitees: [
    { unitId: 'data', unitName: '省数据局', score: 2.1, clauses: 2, matched: ['算力中心', '公共数据'] },
    { unitId: 'edu', unitName: 'Education Department', score: 0.4, clauses: 1, matched: ['teachers'] },
    { unitId: 'fin', unitName: '省财政厅', score: 0.2, clauses: 1, matched: ['财政'] },
  ],
};

const q1 = { clauseStableId: 'c3', question: '第三条涉及算力中心，请贵单位就可行性提出意见。' };
const q2 = { clauseStableId: 'c4', question: 'Does clause 4 (公共数据) need a timetable? 🤔' };

describe('routing suggestions in the round wizard', () => {
  it('adds the suggested units not invited yet, most concerned first', () => {
    expect(unitsToInvite(routing, [])).toEqual(['data', 'edu', 'fin']);
    expect(unitsToInvite(routing, ['edu'])).toEqual(['data', 'fin']);
    expect(unitsToInvite(routing, ['data', 'edu', 'fin'])).toEqual([]);
    expect(unitsToInvite({ invitees: [] }, ['x'])).toEqual([]);
  });

  it('adds a question once and takes it away again', () => {
    let questions: QuestionsByUnit = {};
    questions = toggleQuestion(questions, 'data', q1, true);
    questions = toggleQuestion(questions, 'data', { ...q1, question: ` ${q1.question} ` }, true);
    expect(questions.data).toHaveLength(1);
    expect(hasQuestion(questions, 'data', q1)).toBe(true);
    questions = toggleQuestion(questions, 'data', q2, true);
    questions = toggleQuestion(questions, 'edu', q2, true);
    expect(questionCount(questions, ['data', 'edu'])).toBe(3);
    expect(questionCount(questions, ['edu'])).toBe(1);
    questions = toggleQuestion(questions, 'data', q1, false);
    expect(questions.data).toEqual([q2]);
    questions = toggleQuestion(questions, 'edu', q2, false);
    expect(questions).toEqual({ data: [q2] });
    expect(hasQuestion(questions, 'edu', q2)).toBe(false);
  });

  it('rewords a question and ignores an index out of range', () => {
    const questions = toggleQuestion({}, 'data', q1, true);
    const reworded = rewordQuestion(questions, 'data', 0, '请说明算力中心布局。');
    expect(reworded.data?.[0]).toEqual({ clauseStableId: 'c3', question: '请说明算力中心布局。' });
    expect(rewordQuestion(questions, 'data', 3, 'x')).toBe(questions);
    expect(rewordQuestion(questions, 'nobody', 0, 'x')).toBe(questions);
  });

  it('knows a reworded suggestion as the same question', () => {
    const suggested = { ...q1, suggestion: q1.question };
    let questions = toggleQuestion({}, 'data', suggested, true);
    questions = rewordQuestion(questions, 'data', 0, 'Please answer within five working days.');
    expect(hasQuestion(questions, 'data', suggested)).toBe(true);
    expect(toggleQuestion(questions, 'data', suggested, true).data).toHaveLength(1);
    expect(toggleQuestion(questions, 'data', suggested, false)).toEqual({});
    expect(invitationsWithQuestions(['data'], new Set(), questions)).toEqual([
      {
        unitId: 'data',
        mandatory: false,
        questions: [{ clauseStableId: 'c3', question: 'Please answer within five working days.' }],
      },
    ]);
  });

  it('sends two wordings that became the same only once', () => {
    let questions = toggleQuestion({}, 'data', { ...q1, suggestion: 'a' }, true);
    questions = toggleQuestion(questions, 'data', { ...q1, suggestion: 'b' }, true);
    expect(questions.data).toHaveLength(2);
    expect(invitationsWithQuestions(['data'], new Set(), questions)[0]!.questions).toEqual([q1]);
  });

  it('builds the invitations: questions of checked units only, trimmed, without blanks or repeats', () => {
    let questions: QuestionsByUnit = toggleQuestion({}, 'data', q1, true);
    questions = rewordQuestion(toggleQuestion(questions, 'data', q2, true), 'data', 1, '   ');
    questions = toggleQuestion(questions, 'gone', q1, true);
    expect(invitationsWithQuestions(['data', 'edu'], new Set(['edu']), questions)).toEqual([
      { unitId: 'data', mandatory: false, questions: [q1] },
      { unitId: 'edu', mandatory: true },
    ]);
    expect(invitationsWithQuestions([], new Set(), questions)).toEqual([]);
  });

  it('keeps to the server limits', () => {
    let questions: QuestionsByUnit = {};
    for (let i = 0; i < MAX_QUESTIONS_PER_UNIT + 5; i++) {
      questions = toggleQuestion(questions, 'data', { clauseStableId: `c${i}`, question: `问题${i}` }, true);
    }
    questions = rewordQuestion(questions, 'data', 0, '长'.repeat(100_000));
    const [invitation] = invitationsWithQuestions(['data'], new Set(), questions);
    expect(invitation!.questions).toHaveLength(MAX_QUESTIONS_PER_UNIT);
    expect(invitation!.questions![0]!.question).toHaveLength(MAX_QUESTION_CHARS);
  });
});
