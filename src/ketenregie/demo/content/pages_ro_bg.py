"""Information pages of the demo portal in Romanian and Bulgarian. The Bulgarian 'work' page is left out
on purpose, so the portal and the staff application show the marker of a missing translation."""

from __future__ import annotations

RO: dict[str, tuple[str, str, str]] = {
    "registration": (
        "Înregistrarea în BRP sau RNI",
        "Înregistrați-vă la primărie. Apoi primiți un număr BSN.",
        """Rămâneți în Țările de Jos **mai mult de 4 luni**? Atunci înregistrați-vă la primăria unde locuiți.
Aceasta este înregistrarea în **BRP** (registrul populației). Faceți asta în cel mult 5 zile după ce ați
sosit. Faceți o programare la primărie.

Rămâneți **mai puțin de 4 luni**? Atunci vă înregistrați ca nerezident în **RNI**, la un ghișeu RNI,
și în Rotterdam.

## Ce primiți?

După înregistrare primiți un **număr BSN** (burgerservicenummer). Aveți nevoie de el pentru muncă,
asigurarea de sănătate, un cont bancar și alocații.

## Ce aduceți?

- pașaportul sau cartea de identitate
- contractul de închiriere sau o scrisoare de la locatarul principal că puteți locui acolo

## Vă mutați?

Anunțați noua adresă **în cel mult 5 zile**. Puteți face asta [pe acest portal](../../address/).
Plecați din Țările de Jos? Anunțați plecarea la primărie.

Cine nu se înregistrează sau se înregistrează greșit poate primi o amendă.""",
    ),
    "digid": (
        "DigiD: identitatea dumneavoastră digitală",
        "Cu DigiD rezolvați online lucruri cu statul, de exemplu impozitele și alocația pentru asigurare.",
        """Cu **DigiD** intrați pe site-urile statului. De exemplu la administrația fiscală, UWV, SVB și la
asigurătorul de sănătate. Aveți nevoie de un **BSN** pentru a cere DigiD.

## Cum cereți DigiD

1. Mergeți pe [digid.nl](https://www.digid.nl) și cereți DigiD.
2. Primiți o scrisoare cu un cod de activare, la adresa la care sunteți înregistrat.
3. Activați DigiD în cel mult 20 de zile cu codul din scrisoare.
4. Instalați **aplicația DigiD**. Este cel mai ușor și cel mai sigur.

Nu locuiți în Țările de Jos (RNI)? Atunci activați DigiD la un ghișeu DigiD sau cu aplicația DigiD cu
verificare a actului de identitate.

## Atenție

**Nu dați niciodată** DigiD-ul altcuiva. Nici angajatorului, nici agenției, nici proprietarului.
Cu DigiD-ul dumneavoastră, cineva poate cere bani pe numele dumneavoastră.

Punctul de informare vă ajută cu plăcere să cereți și să activați DigiD.""",
    ),
    "housing": (
        "Locuința: drepturile dumneavoastră și contractul de închiriere",
        "Ce trebuie să facă proprietarul, cât poate fi garanția și ce faceți când sunt probleme.",
        """De la 1 iulie 2023 se aplică **Legea privind închirierea corectă** (Wet goed verhuurderschap).

## Contractul de închiriere

- Primiți un contract de închiriere **scris**, cu chiria, costurile de servicii și regulile casei.
- Lucrați aici ca lucrător migrant? Atunci contractul de închiriere este **separat de contractul de muncă**.
- Proprietarul vă dă informații despre drepturi și obligații, într-o limbă pe care o înțelegeți.

## Garanția

Garanția este **cel mult de două ori chiria de bază**. După sfârșitul închirierii primiți garanția înapoi
în cel mult 14 zile.

## Nu prea mulți oameni

În Rotterdam, o locuință trebuie să aibă **cel puțin 12 m² de persoană**. Prea mulți oameni într-o casă
este periculos.

Probleme cu proprietarul sau cu locuința? [Anunțați primăria](../../report/). Nu trebuie să vă spuneți numele.""",
    ),
    "work": (
        "Munca și salariul",
        "Aveți dreptul la salariul minim, la fluturaș de salariu și la indemnizație de concediu.",
        """Toți cei care lucrează în Țările de Jos au aceleași drepturi. Nu contează de unde veniți.

## Salariul dumneavoastră

- Primiți cel puțin **salariul minim pe oră**. Suma se schimbă în fiecare an. Vedeți
  [rijksoverheid.nl/minimumloon](https://www.rijksoverheid.nl/onderwerpen/minimumloon).
- La fiecare plată primiți un **fluturaș de salariu** (loonstrook). Pe el scrie cât câștigați și ce se scade.
- Primiți **indemnizație de concediu**: cel puțin 8% din salariu.
- Salariul vine în contul dumneavoastră bancar.

## Munca prin agenție

Verificați pe [normeringarbeid.nl](https://www.normeringarbeid.nl) dacă agenția are certificat. Păstrați
contractul, fluturașii de salariu și o listă cu orele lucrate.

## Probleme la muncă?

- Salariu prea mic, program prea lung sau muncă periculoasă? Anunțați
  [Inspecția Muncii din Țările de Jos](https://www.nlarbeidsinspectie.nl). Se poate și fără nume.
- Sunteți exploatat? [FairWork](https://www.fairwork.nu) vă ajută, gratuit și confidențial.
- V-ați pierdut locul de muncă? Poate primiți o indemnizație de la UWV.""",
    ),
    "health-insurance": (
        "Asigurarea de sănătate",
        "Locuiți sau lucrați în Țările de Jos? De obicei trebuie să aveți o asigurare de sănătate olandeză.",
        """Locuiți sau lucrați în Țările de Jos? De obicei trebuie să aveți o **asigurare de bază** olandeză
(basisverzekering). Încheiați-o **în cel mult 4 luni**. Plătiți atunci și pentru lunile de dinainte.

## Cum o faceți?

- Alegeți singur asigurătorul. Angajatorul poate oferi o asigurare, dar nu trebuie s-o luați.
- Plătiți o primă în fiecare lună.
- În fiecare an plătiți singur prima parte din multe costuri. Aceasta se numește **risc propriu** (eigen risico).
- Aveți venit mic? Poate primiți **alocație pentru asigurare** (zorgtoeslag). Cereți-o la
  [Dienst Toeslagen](https://www.belastingdienst.nl/toeslagen). Aveți nevoie de DigiD.

## La doctor

- Înscrieți-vă la un **medic de familie** (huisarts) aproape de casă.
- Seara și în weekend sunați la **cabinetul de gardă** (huisartsenpost).
- Dacă viața vă este în pericol, sunați la **112**.""",
    ),
    "help": (
        "Unde primiți ajutor?",
        "Organizații care vă ajută cu probleme legate de muncă, locuință, bani sau siguranță.",
        """## La punctul de informare

Vă ajutăm în limba dumneavoastră, cu întrebări despre locuință, muncă, sănătate, bani, DigiD și
înregistrare. Vedeți [adresa și programul](../information-point/).

## Alt ajutor

- **Juridisch Loket**: sfaturi gratuite despre drepturile dumneavoastră. [juridischloket.nl](https://www.juridischloket.nl)
- **FairWork**: ajutor în caz de exploatare, confidențial. [fairwork.nu](https://www.fairwork.nu)
- **Inspecția Muncii**: anunțați munca incorectă sau periculoasă. [nlarbeidsinspectie.nl](https://www.nlarbeidsinspectie.nl)
- **Barka**: ajutor pentru cetățenii UE fără locuință, și dacă vreți să vă întoarceți în țară.
- **Slachtofferhulp Nederland**: sprijin după o infracțiune sau un accident. [slachtofferhulp.nl](https://www.slachtofferhulp.nl)

## Poliția

- În caz de urgență: sunați la **112**.
- Fără urgență: sunați la **0900 8844**.""",
    ),
    "information-point": (
        "Punctul de informare: adresa și programul",
        "Veniți, sunați sau trimiteți un mesaj pe WhatsApp. Vorbim limba dumneavoastră.",
        """La punctul de informare primiți gratuit informații și ajutor, în limba dumneavoastră. Nu aveți
nevoie de programare.

## Punctul de informare Sud

Voorbeeldstraat 1, Rotterdam (adresă de exemplu)

- de luni până joi: 9.00–17.00
- joi seara: 17.00–20.00

## Punctul de informare Vest

Proefweg 20, Rotterdam (adresă de exemplu)

- marți și vineri: 10.00–16.00

## Telefon sau WhatsApp

- telefon și WhatsApp: 010 000 0000 (număr de exemplu)
- de luni până vineri: 9.00–17.00

Vorbim, printre altele, poloneză, română, bulgară, engleză și neerlandeză.""",
    ),
}

BG: dict[str, tuple[str, str, str]] = {
    "registration": (
        "Регистрация в BRP или RNI",
        "Регистрирайте се в общината. Тогава ще получите номер BSN.",
        """Оставате в Нидерландия **повече от 4 месеца**? Тогава се регистрирайте в общината, в която живеете.
Това е регистрация в **BRP** (регистъра на населението). Направете го до 5 дни след пристигането си.
Запишете си час в общината.

Оставате **по-малко от 4 месеца**? Тогава се регистрирате като нерезидент в **RNI**, на гише на RNI,
и в Ротердам.

## Какво получавате?

След регистрацията получавате **номер BSN** (burgerservicenummer). Той ви трябва за работа, здравна
застраховка, банкова сметка и помощи.

## Какво да носите?

- паспорт или лична карта
- договор за наем или писмо от главния наемател, че можете да живеете там

## Местите ли се?

Съобщете новия си адрес **до 5 дни**. Можете да го направите [на този портал](../../address/).
Напускате Нидерландия? Съобщете за заминаването си в общината.

Който не се регистрира или се регистрира грешно, може да получи глоба.""",
    ),
    "digid": (
        "DigiD: вашата цифрова самоличност",
        "С DigiD уреждате онлайн неща с държавата, например данъци и помощ за здравна застраховка.",
        """С **DigiD** влизате в сайтовете на държавата. Например в данъчната служба, UWV, SVB и при вашия
здравен застраховател. За да поискате DigiD, ви трябва **BSN**.

## Как да поискате DigiD

1. Отидете на [digid.nl](https://www.digid.nl) и поискайте DigiD.
2. Ще получите писмо с код за активиране на адреса, на който сте регистрирани.
3. Активирайте DigiD до 20 дни с кода от писмото.
4. Инсталирайте **приложението DigiD**. Така е най-лесно и най-сигурно.

Не живеете в Нидерландия (RNI)? Тогава активирате DigiD на гише на DigiD или с приложението DigiD с
проверка на документа за самоличност.

## Внимание

**Никога** не давайте своя DigiD на друг човек. Нито на работодателя, нито на агенцията, нито на
хазяина. С вашия DigiD някой може да поиска пари на ваше име.

Информационният център с удоволствие ще ви помогне да поискате и активирате DigiD.""",
    ),
    "housing": (
        "Жилище: вашите права и договорът за наем",
        "Какво трябва да направи наемодателят, колко може да е депозитът и какво да правите при проблеми.",
        """От 1 юли 2023 г. важи **Законът за добро отдаване под наем** (Wet goed verhuurderschap).

## Вашият договор за наем

- Получавате **писмен** договор за наем, с наема, разходите за услуги и правилата на къщата.
- Работите тук като трудов мигрант? Тогава договорът за наем е **отделен от трудовия договор**.
  Ако работата ви свърши, договорът за наем не свършва сам.
- Наемодателят ви дава информация за правата и задълженията ви, на език, който разбирате.

## Депозит

Депозитът е **най-много два пъти основния наем**. След края на наема получавате депозита обратно до
14 дни. Има ли щети? Тогава до 30 дни, минус разходите за щетите.

## Наем от заплатата

Работодателят ви удържа наема от заплатата? Това е разрешено само ако сте съгласни **писмено**, и най-много
25% от минималната заплата. Жилището трябва да отговаря на изисквания за качество.

## Не прекалено пълно

В Ротердам в едно жилище трябва да има **поне 12 m² на човек**. Твърде много хора в една къща е опасно.

Проблеми с наемодателя или жилището? [Съобщете на общината](../../report/). Не е нужно да давате името си.""",
    ),
    "health-insurance": (
        "Здравна застраховка",
        "Живеете или работите в Нидерландия? Обикновено трябва да имате нидерландска здравна застраховка.",
        """Живеете или работите в Нидерландия? Обикновено трябва да имате нидерландска **основна застраховка**
(basisverzekering). Сключете я **до 4 месеца**. Тогава плащате и за месеците преди това.

## Как да я уредите?

- Сами избирате застраховател. Работодателят може да предложи застраховка, но не сте длъжни да я вземете.
- Всеки месец плащате вноска.
- Всяка година първата част от много разходи плащате сами. Това се нарича **собствен риск** (eigen risico).
- Имате нисък доход? Може да получите **помощ за здравна застраховка** (zorgtoeslag). Поискайте я от
  [Dienst Toeslagen](https://www.belastingdienst.nl/toeslagen). За това ви трябва DigiD.

## При лекар

- Регистрирайте се при **общопрактикуващ лекар** (huisarts) близо до вас.
- Вечер и през уикенда се обадете на **дежурния лекар** (huisartsenpost).
- Ако животът ви е в опасност, обадете се на **112**.""",
    ),
    "help": (
        "Къде да получите помощ?",
        "Организации, които помагат при проблеми с работата, жилището, парите или безопасността.",
        """## В информационния център

Помагаме ви на вашия език, с въпроси за жилище, работа, здраве, пари, DigiD и регистрация.
Вижте [адрес и работно време](../information-point/).

## Друга помощ

- **Juridisch Loket**: безплатни съвети за вашите права. [juridischloket.nl](https://www.juridischloket.nl)
- **FairWork**: помощ при експлоатация, поверително. [fairwork.nu](https://www.fairwork.nu)
- **Нидерландската инспекция по труда**: съобщете за нечестна или опасна работа.
  [nlarbeidsinspectie.nl](https://www.nlarbeidsinspectie.nl)
- **Barka**: помощ за граждани на ЕС без жилище, и ако искате да се върнете в страната си.
- **Slachtofferhulp Nederland**: подкрепа след престъпление или злополука. [slachtofferhulp.nl](https://www.slachtofferhulp.nl)

## Полиция

- При спешен случай: обадете се на **112**.
- Без спешност: обадете се на **0900 8844**.""",
    ),
    "information-point": (
        "Информационният център: адрес и работно време",
        "Елате, обадете се или изпратете съобщение в WhatsApp. Говорим вашия език.",
        """В информационния център получавате безплатна информация и помощ на вашия език. Не е нужно да си
записвате час.

## Информационен център Юг

Voorbeeldstraat 1, Rotterdam (примерен адрес)

- от понеделник до четвъртък: 9:00–17:00
- четвъртък вечер: 17:00–20:00

## Информационен център Запад

Proefweg 20, Rotterdam (примерен адрес)

- вторник и петък: 10:00–16:00

## Телефон или WhatsApp

- телефон и WhatsApp: 010 000 0000 (примерен номер)
- от понеделник до петък: 9:00–17:00

Говорим например полски, румънски, български, английски и нидерландски.""",
    ),
}
