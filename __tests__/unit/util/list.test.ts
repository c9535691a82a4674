import { describe, expect, it } from '@jest/globals';
import { splitList, splitUrlList } from '../../../src/util/list.js';

describe('splitList', () => {
  it('splits on commas and newlines and drops blanks', () => {
    expect(splitList(' a ,b\n\n c,\n')).toEqual(['a', 'b', 'c']);
  });
});

describe('splitUrlList', () => {
  it('splits like splitList, but never inside credentials', () => {
    expect(
      splitUrlList(
        ' https://u:a,b@h1.example , https://h2.example\n\ndirect,https://t,k@h3.example',
      ),
    ).toEqual([
      'https://u:a,b@h1.example',
      'https://h2.example',
      'direct',
      'https://t,k@h3.example',
    ]);
  });

  it('splits at "|" too when asked, as for GOPROXY', () => {
    expect(splitUrlList('https://a.example|https://u:p|q@b.example,direct', ',|')).toEqual([
      'https://a.example',
      'https://u:p|q@b.example',
      'direct',
    ]);
  });
});
