// Vietnamese first, English one click away. The choice persists in localStorage
// and is mirrored on <html lang>. Pages read texts through t() at render time and
// re-render when the language changes.

export type Lang = 'vi' | 'en';

const vi = {
  'app.name': 'Một cửa',
  'app.tagline': 'Dịch vụ hành chính công của chính quyền địa phương hai cấp',
  'skip': 'Bỏ qua, đến nội dung chính',
  'nav.label': 'Điều hướng chính',
  'nav.home': 'Trang chủ',
  'nav.where': 'Tôi nộp hồ sơ ở đâu?',
  'nav.units': 'Tra cứu đơn vị hành chính',
  'lang.switch': 'English',
  'lang.switch_label': 'Switch to English',
  'footer.text': 'motcua: phần mềm mã nguồn mở cho một cửa điện tử của tỉnh và xã.',
  'footer.api': 'Tài liệu API',

  'home.title': 'Một cửa: dịch vụ công gần người dân',
  'home.lead':
    'Từ ngày 1/7/2025, chính quyền địa phương còn hai cấp: 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu; cấp huyện không còn. motcua là nền tảng để tỉnh và xã tiếp nhận, giải quyết thủ tục hành chính, theo dõi hồ sơ và lắng nghe người dân.',
  'home.tools': 'Bắt đầu từ đây',
  'home.where.title': 'Tôi nộp hồ sơ ở đâu?',
  'home.where.text':
    'Nhập địa chỉ cũ (ví dụ "P. Trúc Bạch, Q. Ba Đình, Hà Nội") để biết xã, phường mới nào đang phục vụ bạn.',
  'home.units.title': 'Tra cứu đơn vị hành chính',
  'home.units.text':
    'Tìm xã, phường, tỉnh theo tên, tại một ngày bất kỳ; xem các lần thay đổi và những đơn vị đã sáp nhập vào.',
  'home.about.title': 'motcua làm gì',
  'home.about.1': 'Một cửa điện tử: nộp hồ sơ trực tuyến, tra cứu tiến độ theo mã hồ sơ.',
  'home.about.2': 'Tiếp nhận hồ sơ ở bất kỳ trung tâm phục vụ hành chính công nào trong tỉnh.',
  'home.about.3': 'Thời hạn giải quyết tính theo ngày làm việc, minh bạch với người dân.',

  'where.title': 'Tôi nộp hồ sơ ở đâu?',
  'where.lead':
    'Nhập địa chỉ như bạn vẫn viết, kể cả tên xã, phường, quận, huyện cũ. Chúng tôi cho bạn biết xã, phường mới và tỉnh, thành phố đang phục vụ địa chỉ đó.',
  'where.label': 'Địa chỉ cũ hoặc mới',
  'where.hint': 'Ví dụ: P. Trúc Bạch, Q. Ba Đình, Hà Nội',
  'where.at': 'Tại ngày (không bắt buộc)',
  'where.submit': 'Tìm',
  'where.searching': 'Đang tìm…',
  'where.results': 'Kết quả',
  'where.whole.title': 'Bạn nộp hồ sơ tại {unit}, {province}.',
  'where.whole.text': '{old} đã được nhập toàn bộ vào {unit}.',
  'where.same.text': 'Đây là tên đơn vị hành chính hiện hành.',
  'where.split.title': 'Địa chỉ này nay thuộc một trong {n} xã, phường mới.',
  'where.split.text':
    '{old} đã được chia cho nhiều xã, phường mới. Hãy kiểm tra chính xác tên đường, thôn, tổ dân phố của bạn thuộc phần nào trước khi nộp hồ sơ.',
  'where.others': 'Kết quả khác có thể phù hợp',
  'where.none.title': 'Không tìm thấy đơn vị nào.',
  'where.candidate.province': 'Tỉnh, thành phố',
  'where.candidate.code': 'Mã',
  'where.candidate.via': 'Từ đơn vị cũ',
  'where.candidate.kind': 'Cách sắp xếp',
  'where.open_unit': 'Xem đơn vị',
  'where.old_commune': 'đơn vị cũ mã {code}',

  'units.title': 'Tra cứu đơn vị hành chính',
  'units.lead':
    'Tìm theo tên, có dấu hoặc không dấu. Chọn một ngày để xem các đơn vị đang có hiệu lực tại ngày đó (trước 1/7/2025 là 63 tỉnh, thành phố và cấp huyện).',
  'units.q': 'Tên đơn vị',
  'units.q_hint': 'Ví dụ: Hoà Khánh',
  'units.level': 'Cấp',
  'units.level.all': 'Tất cả các cấp',
  'units.province': 'Tỉnh, thành phố',
  'units.province.all': 'Tất cả',
  'units.at': 'Tại ngày',
  'units.at_hint': 'Để trống: hôm nay',
  'units.submit': 'Tìm kiếm',
  'units.more': 'Xem thêm',
  'units.loading': 'Đang tải…',
  'units.count': 'Đang hiển thị {n} đơn vị',
  'units.count_more': 'Đang hiển thị {n} đơn vị, còn nữa',
  'units.empty': 'Không có đơn vị nào khớp với tìm kiếm.',
  'units.results': 'Danh sách đơn vị',

  'unit.back': 'Quay lại tra cứu',
  'unit.at': 'Xem tại ngày',
  'unit.show': 'Xem',
  'unit.loading': 'Đang tải…',
  'unit.code': 'Mã',
  'unit.level': 'Cấp',
  'unit.type': 'Loại',
  'unit.province': 'Thuộc tỉnh, thành phố',
  'unit.district': 'Thuộc quận, huyện (cũ)',
  'unit.valid': 'Hiệu lực',
  'unit.in_force': 'Đang có hiệu lực tại ngày {date}.',
  'unit.not_in_force': 'Không có hiệu lực tại ngày {date}; dưới đây là phiên bản gần nhất.',
  'unit.versions': 'Các phiên bản theo thời gian',
  'unit.versions.name': 'Tên',
  'unit.versions.from': 'Từ ngày',
  'unit.versions.to': 'Đến ngày',
  'unit.versions.type': 'Loại',
  'unit.predecessors': 'Được hình thành từ',
  'unit.predecessors.none': 'Không có đơn vị nào được sáp nhập vào đơn vị này.',
  'unit.successors': 'Nay thuộc về',
  'unit.kind': 'Cách sắp xếp',
  'unit.open': 'Xem',
  'date.open_start': 'trước đây',
  'date.open_end': 'nay',
  'date.range': '{from} – {to}',

  'level.province': 'Cấp tỉnh',
  'level.district': 'Cấp huyện (cũ)',
  'level.commune': 'Cấp xã',

  'kind.whole': 'nhập toàn bộ',
  'kind.partial': 'nhập một phần',
  'kind.unchanged': 'giữ nguyên',
  'kind.renamed': 'đổi tên',
  'kind.retyped': 'đổi loại đơn vị',
  'kind.district_to_special_zone': 'huyện thành đặc khu',

  'type.thanh_pho_tw': 'Thành phố trực thuộc trung ương',
  'type.tinh': 'Tỉnh',
  'type.quan': 'Quận',
  'type.huyen': 'Huyện',
  'type.thi_xa': 'Thị xã',
  'type.thanh_pho': 'Thành phố thuộc tỉnh',
  'type.phuong': 'Phường',
  'type.xa': 'Xã',
  'type.thi_tran': 'Thị trấn',
  'type.dac_khu': 'Đặc khu',

  'error.title': 'Có lỗi xảy ra',
  'error.network': 'Không kết nối được với máy chủ. Vui lòng thử lại.',
  'error.unexpected': 'Máy chủ trả lời không như mong đợi (mã {status}).',
  'error.retry': 'Thử lại',

  'notfound.title': 'Không tìm thấy trang',
  'notfound.text': 'Trang bạn tìm không tồn tại.',
  'nav.procedures': 'Thủ tục hành chính',
  'nav.track': 'Tra cứu hồ sơ',
  'procedures.title': 'Thủ tục hành chính',
  'procedures.lead': 'Tìm thủ tục theo tên, lĩnh vực hay giấy tờ cần nộp; gõ có dấu hay không dấu đều được.',
  'procedures.label': 'Tên thủ tục hoặc giấy tờ',
  'procedures.hint': 'Ví dụ: khai sinh, chứng thực bản sao, hộ kinh doanh',
  'procedures.field': 'Lĩnh vực',
  'procedures.level': 'Cấp giải quyết',
  'procedures.any': 'Tất cả',
  'procedures.submit': 'Tìm thủ tục',
  'procedures.searching': 'Đang tìm…',
  'procedures.count': '{n} thủ tục',
  'procedures.none': 'Không có thủ tục nào khớp. Hãy thử từ khác.',
  'procedures.more': 'Xem thêm',
  'procedure.code': 'Mã thủ tục',
  'procedure.agency': 'Cơ quan giải quyết',
  'procedure.online': 'Dịch vụ công trực tuyến',
  'procedure.channels': 'Cách nộp, thời hạn và phí',
  'procedure.channel': 'Cách nộp',
  'procedure.time': 'Thời hạn giải quyết',
  'procedure.fee': 'Phí, lệ phí',
  'procedure.components': 'Thành phần hồ sơ',
  'procedure.conditional': 'Khi có trường hợp này',
  'procedure.result': 'Kết quả',
  'procedure.where': 'Nộp ở đâu',
  'procedure.where.commune': 'Tại Trung tâm phục vụ hành chính công của xã, phường nơi bạn cư trú (hoặc bất kỳ trung tâm nào trong tỉnh nếu thủ tục cho phép), hoặc trực tuyến.',
  'procedure.where.province': 'Tại Trung tâm phục vụ hành chính công của tỉnh, thành phố, hoặc trực tuyến.',
  'procedure.where.find': 'Chưa biết xã, phường mới của mình? Tra theo địa chỉ cũ',
  'procedure.since': 'Từ 1/7/2025',
  'procedure.legal': 'Căn cứ pháp lý',
  'procedure.back': 'Quay lại danh sách thủ tục',
  'channel.online': 'Trực tuyến',
  'channel.post': 'Qua bưu chính',
  'channel.counter': 'Trực tiếp tại quầy',
  'online.full': 'Toàn trình',
  'online.partial': 'Một phần',
  'online.none': 'Không',
  'track.title': 'Tra cứu hồ sơ',
  'track.lead': 'Nhập mã hồ sơ in trên phiếu hẹn (ví dụ H01.000.04-251122-0001) để biết hồ sơ đang ở bước nào.',
  'track.label': 'Mã hồ sơ',
  'track.submit': 'Tra cứu',
  'track.searching': 'Đang tra cứu…',
  'track.state': 'Trạng thái',
  'track.procedure': 'Thủ tục',
  'track.received': 'Ngày tiếp nhận',
  'track.appointment': 'Ngày hẹn trả kết quả',
  'track.finished': 'Ngày có kết quả',
  'track.returned': 'Ngày trả kết quả',
  'track.unit': 'Đơn vị giải quyết',
  'state.submitted': 'Đã nộp, chờ tiếp nhận',
  'state.received': 'Đã tiếp nhận',
  'state.waiting_supplement': 'Chờ bổ sung giấy tờ',
  'state.in_progress': 'Đang giải quyết',
  'state.proposed': 'Đang trình lãnh đạo',
  'state.approved': 'Đã phê duyệt',
  'state.result_issued': 'Đã có kết quả, chờ trả',
  'state.returned': 'Đã trả kết quả',
  'state.refused': 'Từ chối giải quyết',
  'state.withdrawn': 'Đã rút hồ sơ',
  'state.draft': 'Đang soạn',
};

export type Key = keyof typeof vi;

const en: Record<Key, string> = {
  'app.name': 'One-stop shop',
  'app.tagline': 'Public services of two-level local government',
  'skip': 'Skip to main content',
  'nav.label': 'Main navigation',
  'nav.home': 'Home',
  'nav.where': 'Where do I go now?',
  'nav.units': 'Administrative units',
  'lang.switch': 'Tiếng Việt',
  'lang.switch_label': 'Chuyển sang tiếng Việt',
  'footer.text': 'motcua: open-source software for the electronic one-stop shop of provinces and communes.',
  'footer.api': 'API documentation',

  'home.title': 'One-stop shop: public services close to people',
  'home.lead':
    'Since 1 July 2025, Vietnam has two levels of local government: 34 provinces and cities and 3,321 communes, wards and special zones; the district level is gone. motcua is the platform on which a province and its communes receive and settle administrative procedures, track dossiers and listen to people.',
  'home.tools': 'Start here',
  'home.where.title': 'Where do I go now?',
  'home.where.text':
    'Type an old address (for example "P. Trúc Bạch, Q. Ba Đình, Hà Nội") to learn which new commune or ward serves you.',
  'home.units.title': 'Administrative units',
  'home.units.text':
    'Find communes, wards and provinces by name at any date; see how they changed and what they absorbed.',
  'home.about.title': 'What motcua does',
  'home.about.1': 'Electronic one-stop shop: submit dossiers online, track them by code.',
  'home.about.2': 'Dossiers received at any public service centre of the province.',
  'home.about.3': 'Deadlines counted in working days, visible to everyone.',

  'where.title': 'Where do I go now?',
  'where.lead':
    'Type an address as you usually write it, even with the old commune, ward or district. We tell you which new commune or ward, and which province, serve it now.',
  'where.label': 'Old or new address',
  'where.hint': 'For example: P. Trúc Bạch, Q. Ba Đình, Hà Nội',
  'where.at': 'At date (optional)',
  'where.submit': 'Find',
  'where.searching': 'Searching…',
  'where.results': 'Results',
  'where.whole.title': 'You go to {unit}, {province}.',
  'where.whole.text': '{old} was merged whole into {unit}.',
  'where.same.text': 'This is the name of a unit in force.',
  'where.split.title': 'This address now belongs to one of {n} new communes or wards.',
  'where.split.text':
    '{old} was split between several new communes or wards. Check exactly which part your street, village or residential group belongs to before you submit a dossier.',
  'where.others': 'Other possible matches',
  'where.none.title': 'No unit found.',
  'where.candidate.province': 'Province',
  'where.candidate.code': 'Code',
  'where.candidate.via': 'From old unit',
  'where.candidate.kind': 'Arrangement',
  'where.open_unit': 'Open unit',
  'where.old_commune': 'old unit code {code}',

  'units.title': 'Administrative units',
  'units.lead':
    'Search by name, with or without diacritics. Pick a date to see the units in force on that day (before 1 July 2025: 63 provinces and the district level).',
  'units.q': 'Unit name',
  'units.q_hint': 'For example: Hoà Khánh',
  'units.level': 'Level',
  'units.level.all': 'All levels',
  'units.province': 'Province',
  'units.province.all': 'All',
  'units.at': 'At date',
  'units.at_hint': 'Empty: today',
  'units.submit': 'Search',
  'units.more': 'Load more',
  'units.loading': 'Loading…',
  'units.count': 'Showing {n} units',
  'units.count_more': 'Showing {n} units, more available',
  'units.empty': 'No unit matches this search.',
  'units.results': 'Units',

  'unit.back': 'Back to the search',
  'unit.at': 'View at date',
  'unit.show': 'Show',
  'unit.loading': 'Loading…',
  'unit.code': 'Code',
  'unit.level': 'Level',
  'unit.type': 'Type',
  'unit.province': 'Province',
  'unit.district': 'District (former)',
  'unit.valid': 'In force',
  'unit.in_force': 'In force on {date}.',
  'unit.not_in_force': 'Not in force on {date}; the nearest version is shown.',
  'unit.versions': 'Versions over time',
  'unit.versions.name': 'Name',
  'unit.versions.from': 'From',
  'unit.versions.to': 'To',
  'unit.versions.type': 'Type',
  'unit.predecessors': 'Formed from',
  'unit.predecessors.none': 'No unit was merged into this one.',
  'unit.successors': 'Now part of',
  'unit.kind': 'Arrangement',
  'unit.open': 'Open',
  'date.open_start': 'earlier',
  'date.open_end': 'now',
  'date.range': '{from} – {to}',

  'level.province': 'Province level',
  'level.district': 'District level (former)',
  'level.commune': 'Commune level',

  'kind.whole': 'merged whole',
  'kind.partial': 'merged in part',
  'kind.unchanged': 'unchanged',
  'kind.renamed': 'renamed',
  'kind.retyped': 'type changed',
  'kind.district_to_special_zone': 'district became a special zone',

  'type.thanh_pho_tw': 'Centrally governed city',
  'type.tinh': 'Province',
  'type.quan': 'Urban district',
  'type.huyen': 'Rural district',
  'type.thi_xa': 'Town',
  'type.thanh_pho': 'Provincial city',
  'type.phuong': 'Ward',
  'type.xa': 'Commune',
  'type.thi_tran': 'Township',
  'type.dac_khu': 'Special zone',

  'error.title': 'Something went wrong',
  'error.network': 'Could not reach the server. Please try again.',
  'error.unexpected': 'The server answered unexpectedly (status {status}).',
  'error.retry': 'Try again',

  'notfound.title': 'Page not found',
  'notfound.text': 'The page you asked for does not exist.',
  'nav.procedures': 'Procedures',
  'nav.track': 'Track a dossier',
  'procedures.title': 'Administrative procedures',
  'procedures.lead': 'Find a procedure by its name, field or the papers it needs, with or without Vietnamese accents.',
  'procedures.label': 'Procedure or paper',
  'procedures.hint': 'For example: khai sinh (birth registration), chứng thực bản sao, hộ kinh doanh',
  'procedures.field': 'Field',
  'procedures.level': 'Settled at',
  'procedures.any': 'All',
  'procedures.submit': 'Find procedures',
  'procedures.searching': 'Searching…',
  'procedures.count': '{n} procedures',
  'procedures.none': 'No procedure matches. Try other words.',
  'procedures.more': 'Show more',
  'procedure.code': 'Procedure code',
  'procedure.agency': 'Competent agency',
  'procedure.online': 'Online service',
  'procedure.channels': 'How to file, time and fees',
  'procedure.channel': 'How to file',
  'procedure.time': 'Processing time',
  'procedure.fee': 'Fees',
  'procedure.components': 'Papers to provide',
  'procedure.conditional': 'In this case',
  'procedure.result': 'Result',
  'procedure.where': 'Where to go',
  'procedure.where.commune': 'The Public Administration Service Center of the commune or ward where you live (or any center in the province where the procedure allows), or online.',
  'procedure.where.province': 'The Public Administration Service Center of the province or city, or online.',
  'procedure.where.find': 'Not sure which is your new commune or ward? Look it up by your old address',
  'procedure.since': 'Since 1 July 2025',
  'procedure.legal': 'Legal basis',
  'procedure.back': 'Back to the procedures',
  'channel.online': 'Online',
  'channel.post': 'By post',
  'channel.counter': 'At the counter',
  'online.full': 'Fully online',
  'online.partial': 'Partly online',
  'online.none': 'Not online',
  'track.title': 'Track a dossier',
  'track.lead': 'Enter the dossier code printed on your receipt (for example H01.000.04-251122-0001) to see where it stands.',
  'track.label': 'Dossier code',
  'track.submit': 'Track',
  'track.searching': 'Looking it up…',
  'track.state': 'Status',
  'track.procedure': 'Procedure',
  'track.received': 'Received on',
  'track.appointment': 'Result promised for',
  'track.finished': 'Result ready on',
  'track.returned': 'Result handed over on',
  'track.unit': 'Competent unit',
  'state.submitted': 'Filed, waiting to be received',
  'state.received': 'Received',
  'state.waiting_supplement': 'Waiting for more papers',
  'state.in_progress': 'Being processed',
  'state.proposed': 'Awaiting the leader\'s decision',
  'state.approved': 'Approved',
  'state.result_issued': 'Result ready, waiting to be handed over',
  'state.returned': 'Result handed over',
  'state.refused': 'Refused',
  'state.withdrawn': 'Withdrawn',
  'state.draft': 'Draft',
};

const dictionaries: Record<Lang, Record<Key, string>> = { vi, en };
const kStorageKey = 'motcua.lang';

function stored(): Lang {
  try {
    const v = localStorage.getItem(kStorageKey);
    if (v === 'vi' || v === 'en') return v;
  } catch {
    // Storage may be disabled (private mode, policy): fall back to Vietnamese.
  }
  return 'vi';
}

let current: Lang = stored();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(kStorageKey, next);
  } catch {
    // Not persisted; the choice still holds for this page view.
  }
  document.documentElement.lang = next;
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The text for key in the current language, with {name} placeholders filled. */
export function t(key: Key, params?: Record<string, string | number>): string {
  const text = dictionaries[current][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

/** Picks the Vietnamese or English variant of a text the API sent in both. */
export function pick(en_text: string | null | undefined, vi_text: string | null | undefined): string {
  const first = current === 'vi' ? vi_text : en_text;
  return first || en_text || vi_text || '';
}

/** Translates a known enumeration value (unit type, kind, level), or shows it as is. */
export function tEnum(prefix: 'type' | 'kind' | 'level', value: string | null | undefined): string {
  if (!value) return '';
  const key = `${prefix}.${value}` as Key;
  return key in vi ? t(key) : value;
}

/** A YYYY-MM-DD date written as people of the chosen language read it. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (current === 'vi') return `${d}/${mo}/${y}`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d)} ${months[Number(mo) - 1]} ${y}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString(current === 'vi' ? 'vi-VN' : 'en-GB');
}
